package io.tollgate.sync;

import io.tollgate.auth.keys.IssuersConfigured;
import io.tollgate.config.ConfigError;
import io.tollgate.config.ConfigException;
import io.tollgate.config.ConfigLoader;
import io.tollgate.config.GatewayConfig;
import io.tollgate.events.Addresses;
import io.tollgate.health.GatewayState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the configuration (control plane, one instance): publishes compiled {@link ConfigSnapshot}s on
 * {@link Addresses#CONFIG_SNAPSHOT_PUBLISHED} and answers {@link Addresses#CONFIG_GET_SNAPSHOT}.
 *
 * <p>File source: the YAML file is checked for changes every {@code watchInterval} ms; a changed file is loaded
 * and validated off the event loop. A valid change is published as the next version; an invalid one is refused
 * with every error logged and published on {@link Addresses#CONFIG_REJECTED}, and the last good config keeps
 * serving. Listener settings (host, port, header limits) take effect only after a restart.
 */
public final class ConfigSyncVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigSyncVerticle.class);

  private final GatewayState state;
  private final GatewayConfig initial;
  private final Path file;
  private final Map<String, String> env;
  private final long watchIntervalMs;
  private volatile ConfigSnapshot current;
  private long lastModified = -1;
  private boolean reloading;

  /**
   * @param initial         the already validated config the process started with
   * @param file            the YAML file to watch; null for a fixed config (tests, embedding)
   * @param watchIntervalMs how often to check the file for changes; 0 disables watching
   */
  public ConfigSyncVerticle(GatewayState state, GatewayConfig initial, Path file, Map<String, String> env,
      long watchIntervalMs) {
    this.state = state;
    this.initial = initial;
    this.file = file;
    this.env = env;
    this.watchIntervalMs = watchIntervalMs;
  }

  @Override
  public Future<?> start() {
    current = SnapshotCompiler.compile(1, initial, file == null ? "embedded" : file.toString(), state);
    state.configApplied(current.version());
    vertx.eventBus().consumer(Addresses.CONFIG_GET_SNAPSHOT, msg -> msg.reply(current));
    if (file != null && watchIntervalMs > 0) {
      vertx.setPeriodic(watchIntervalMs, id -> checkFile());
      return vertx.fileSystem().props(file.toString()).map(props -> lastModified = props.lastModifiedTime());
    }
    return Future.succeededFuture();
  }

  /** The snapshot being served; readable from any thread once the verticle has started. */
  public ConfigSnapshot current() {
    return current;
  }

  private void checkFile() {
    if (reloading) {
      return;
    }
    reloading = true;
    vertx.fileSystem().props(file.toString()).onComplete(props -> {
      if (props.failed() || props.result().lastModifiedTime() == lastModified) {
        reloading = false;
        return;
      }
      lastModified = props.result().lastModifiedTime();
      reload();
    });
  }

  private void reload() {
    vertx.executeBlocking(() -> ConfigLoader.load(file, env), false).onComplete(ar -> {
      reloading = false;
      if (ar.succeeded()) {
        publish(ar.result());
      } else if (ar.cause() instanceof ConfigException e) {
        refuse(e);
      } else {
        LOG.error("config reload from {} failed; keeping version {}", file, current.version(), ar.cause());
      }
    });
  }

  private void publish(GatewayConfig config) {
    if (!config.listener().equals(current.config().listener())) {
      LOG.warn("listener settings changed in {}; they take effect after a restart", file);
    }
    current = SnapshotCompiler.compile(current.version() + 1, config, file.toString(), state);
    state.configApplied(current.version());
    vertx.eventBus().publish(Addresses.CONFIG_SNAPSHOT_PUBLISHED, current);
    // Token issuers may have changed: the keys verticle reconciles its fetchers (unchanged ones keep their keys).
    vertx.eventBus().publish(Addresses.AUTH_ISSUERS_CONFIGURED,
        new IssuersConfigured(current.auth().sources()));
    LOG.info("config version {} applied from {}", current.version(), file);
  }

  private void refuse(ConfigException e) {
    JsonArray errors = new JsonArray();
    for (ConfigError error : e.errors()) {
      LOG.error("config rejected: {}", error);
      errors.add(new JsonObject().put("path", error.path()).put("message", error.message()));
    }
    LOG.error("config in {} refused with {} error(s); version {} keeps serving", file, e.errors().size(),
        current.version());
    vertx.eventBus().publish(Addresses.CONFIG_REJECTED, errors);
  }

}
