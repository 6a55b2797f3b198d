package io.tollgate.bootstrap;

import io.tollgate.config.ConfigError;
import io.tollgate.config.ConfigException;
import io.tollgate.config.ConfigLoader;
import io.tollgate.config.GatewayConfig;
import io.vertx.core.VertxOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Command line: {@code java -jar tollgate.jar --config <file.yaml> [--check] [--event-loops N]
 * [--transport native|nio]}. Event loops default to the CPU count, the transport to native (epoll, NIO where it is
 * not available): process-wide settings, so flags rather than reloadable config.
 *
 * <p>Exit codes: 0 normal shutdown (or {@code --check} passed), 2 invalid config or usage (every error is
 * printed with its path, nothing starts), 1 the gateway failed to start (e.g. port in use).
 * SIGTERM/SIGINT trigger a graceful drain (see {@link Gateway#shutdown()}).
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger("tollgate");

  private Main() {
  }

  public static void main(String[] args) {
    Path configFile = null;
    boolean checkOnly = false;
    VertxOptions options = Gateway.options();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config", "-c" -> configFile = i + 1 < args.length ? Path.of(args[++i]) : null;
        case "--check" -> checkOnly = true;
        case "--event-loops" -> options.setEventLoopPoolSize(positive(i + 1 < args.length ? args[++i] : ""));
        case "--transport" -> options.setPreferNativeTransport(transport(i + 1 < args.length ? args[++i] : ""));
        case "--version" -> {
          LOG.info("tollgate {}", Gateway.version());
          return;
        }
        default -> usage("unknown argument: " + args[i]);
      }
    }
    if (configFile == null) {
      usage("--config <file.yaml> is required");
    }
    if (!Files.isRegularFile(configFile)) {
      usage("config file not found: " + configFile);
    }
    GatewayConfig config = loadOrExit(configFile);
    if (checkOnly) {
      LOG.info("config {} is valid: {} service(s), {} route(s)", configFile, config.services().size(),
          config.routes().size());
      return;
    }
    run(config, configFile, options);
  }

  private static int positive(String value) {
    try {
      int n = Integer.parseInt(value);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    usage("--event-loops needs a positive integer, got '" + value + "'");
    return 0;
  }

  private static boolean transport(String value) {
    return switch (value) {
      case "native" -> true;
      case "nio" -> false;
      default -> {
        usage("--transport is native or nio, got '" + value + "'");
        yield true;
      }
    };
  }

  private static GatewayConfig loadOrExit(Path file) {
    try {
      return ConfigLoader.load(file, System.getenv());
    } catch (ConfigException e) {
      for (ConfigError error : e.errors()) {
        LOG.error("config error: {}", error);
      }
      LOG.error("refusing to start: {} error(s) in {}", e.errors().size(), file);
      exit(2);
      return null;
    }
  }

  private static void run(GatewayConfig config, Path configFile, VertxOptions options) {
    Gateway gateway;
    try {
      gateway = Gateway.start(config, configFile, System.getenv(), options)
          .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.error("tollgate failed to start", e.getCause() != null ? e.getCause() : e);
      exit(1);
      return;
    }
    long startupMs = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    LOG.info("tollgate ready on port {} in {} ms", gateway.port(), startupMs);
    long maxWait = config.shutdown().readinessGrace().toMillis() + config.shutdown().drainTimeout().toMillis()
        + 10_000;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutdown requested: draining (grace {} ms, drain timeout {} ms)",
          config.shutdown().readinessGrace().toMillis(), config.shutdown().drainTimeout().toMillis());
      try {
        gateway.shutdown().toCompletionStage().toCompletableFuture().get(maxWait, TimeUnit.MILLISECONDS);
        LOG.info("tollgate stopped");
      } catch (Exception e) {
        LOG.warn("shutdown did not complete cleanly", e);
        return;
      }
      // A drained stop is a normal shutdown: exit 0, not the 143 the JVM reports after SIGTERM (orchestrators
      // count that as a failure). halt, because System.exit blocks forever inside a shutdown hook.
      stopLogging();
      Runtime.getRuntime().halt(0);
    }, "tollgate-shutdown"));
  }

  private static void usage(String problem) {
    LOG.error("{}\nusage: java -jar tollgate.jar --config <file.yaml> [--check] [--event-loops N] [--transport native|nio]",
        problem);
    exit(2);
  }

  private static void exit(int code) {
    stopLogging();
    System.exit(code);
  }

  /** Gives the logging backend (and its async access-log queue) a chance to flush before the JVM ends. */
  private static void stopLogging() {
    ch.qos.logback.classic.LoggerContext ctx =
        (ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory();
    ctx.stop();
  }
}
