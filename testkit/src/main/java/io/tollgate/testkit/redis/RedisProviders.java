package io.tollgate.testkit.redis;

import io.tollgate.testkit.DockerEngine;
import io.tollgate.testkit.Infrastructure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Picks and starts a Redis provider: URL, then Testcontainers when Docker answers, then {@code redis-server}
 * from the PATH, then the binary shipped in Maven. An explicit choice (a URL, or a forced provider) is never
 * silently replaced by another provider.
 */
final class RedisProviders {

  /** A backend and when the attempt to get it began, so start-up time includes the search. */
  record Started(RedisBackend backend, long startedAtNanos) {}

  private static final List<String> PROVIDERS = List.of("auto", "url", "testcontainers", "path", "embedded");

  private final Function<String, Optional<String>> settings;
  private final BooleanSupplier docker;
  private final Supplier<RedisBackend> container;
  private final Supplier<Path> pathExecutable;
  private final Supplier<Path> embeddedExecutable;
  private final Function<Path, RedisBackend> pathProcess;
  private final Function<Path, RedisBackend> embeddedProcess;

  RedisProviders(Function<String, Optional<String>> settings, BooleanSupplier docker,
      Supplier<RedisBackend> container, Supplier<Path> pathExecutable, Supplier<Path> embeddedExecutable,
      Function<Path, RedisBackend> pathProcess, Function<Path, RedisBackend> embeddedProcess) {
    this.settings = settings;
    this.docker = docker;
    this.container = container;
    this.pathExecutable = pathExecutable;
    this.embeddedExecutable = embeddedExecutable;
    this.pathProcess = pathProcess;
    this.embeddedProcess = embeddedProcess;
  }

  static RedisProviders real() {
    return new RedisProviders(Infrastructure::setting, DockerEngine::available, ContainerRedisBackend::launch,
        RedisExecutables::onPath, RedisExecutables::embedded,
        path -> RedisProcessBackend.launch("redis-server", path),
        path -> RedisProcessBackend.launch("embedded", path));
  }

  Started resolveShared() {
    long started = System.nanoTime();
    String forced = forced();
    Optional<String> url = settings.apply(TestRedis.URL_SETTING);
    if (url.isPresent() && (forced.equals("auto") || forced.equals("url"))) {
      return new Started(new ExternalRedisBackend(RedisUrl.parse(url.get())), started);
    }
    List<String> attempts = new ArrayList<>();
    attempts.add("url: " + (url.isPresent() ? "ignored, provider forced to " + forced
        : TestRedis.URL_SETTING + " is not set"));
    RuntimeException last = null;
    if (forced.equals("auto") || forced.equals("testcontainers")) {
      if (docker.getAsBoolean()) {
        try {
          return new Started(container.get(), started);
        } catch (RuntimeException e) {
          last = e;
          attempts.add("testcontainers: " + e);
        }
      } else {
        attempts.add("testcontainers: no Docker engine answers");
      }
    }
    try {
      return new Started(local(forced, attempts), started);
    } catch (RuntimeException e) {
      throw new IllegalStateException(noServer(forced, attempts), last == null ? e : last);
    }
  }

  /** Private servers are always local processes, so that stop and restart act on a process the test owns. */
  Started resolvePrivate() {
    long started = System.nanoTime();
    String forced = forced();
    String local = forced.equals("path") || forced.equals("embedded") ? forced : "auto";
    List<String> attempts = new ArrayList<>();
    try {
      return new Started(local(local, attempts), started);
    } catch (RuntimeException e) {
      throw new IllegalStateException(noServer(local + " (private servers are local processes)", attempts), e);
    }
  }

  private RedisBackend local(String forced, List<String> attempts) {
    RuntimeException last = new IllegalStateException("provider forced to " + forced);
    if (forced.equals("auto") || forced.equals("path")) {
      try {
        return pathProcess.apply(pathExecutable.get());
      } catch (RuntimeException e) {
        last = e;
        attempts.add("path: " + e.getMessage());
      }
    }
    if (forced.equals("auto") || forced.equals("embedded")) {
      try {
        return embeddedProcess.apply(embeddedExecutable.get());
      } catch (RuntimeException e) {
        last = e;
        attempts.add("embedded: " + e.getMessage());
      }
    }
    throw last;
  }

  private String forced() {
    String forced = settings.apply(TestRedis.PROVIDER_SETTING).orElse("auto").toLowerCase(Locale.ROOT);
    if (!PROVIDERS.contains(forced)) {
      throw new IllegalArgumentException(TestRedis.PROVIDER_SETTING
          + " must be one of " + String.join(", ", PROVIDERS) + ", not " + forced);
    }
    return forced;
  }

  private static String noServer(String provider, List<String> attempts) {
    return "No Redis for tests (provider: " + provider + "). Tried:\n  - " + String.join("\n  - ", attempts)
        + "\nFix one of: set " + TestRedis.URL_SETTING + "=redis://[:password@]host:port[/db]; "
        + "install Redis 6.2+ so redis-server is on the PATH (e.g. `apt-get install redis-server`, "
        + "`brew install redis`); start a Docker engine for Testcontainers; or run on a platform for which "
        + "org.signal:embedded-redis ships a binary (linux amd64/arm64/386, macOS amd64/arm64) with a temp "
        + "directory that allows executing files.";
  }
}
