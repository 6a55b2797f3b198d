package io.tollgate.testkit.postgres;

import io.tollgate.testkit.DockerEngine;
import io.tollgate.testkit.Infrastructure;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real PostgreSQL server for tests, found or started once per JVM, with a fresh database per test class.
 *
 * <pre>{@code
 * static final TestDatabase DB = TestPostgres.forClass("RateLimitIT");
 * PgConnection.connect(vertx, DB.connectOptions())...
 * }</pre>
 *
 * <p>The shared server comes from the first of: {@value #URL_SETTING} ({@code postgresql://user:pw@host:port/db}
 * — the user needs CREATEDB); Testcontainers when a Docker engine answers ({@link DockerEngine}); an embedded
 * PostgreSQL started by this JVM on a free port. {@value #PROVIDER_SETTING} ({@code url}, {@code testcontainers},
 * {@code embedded}) forces one. When none can be had, every call throws with what to install: tests never skip.
 *
 * <p>Outage tests use {@link #startPrivate()}: always an embedded server owned by the caller, so that
 * {@link #stop()} and {@link #start()} act on a process the test controls (same port, data kept).
 *
 * <p>Threads: methods block; call them from test threads, never from an event loop.
 */
public final class TestPostgres implements AutoCloseable {

  /** Environment variable (or system property {@code tollgate.test.pg.url}) naming your own server. */
  public static final String URL_SETTING = "TOLLGATE_TEST_PG_URL";
  /** Environment variable (or {@code tollgate.test.pg.provider}) forcing a provider. */
  public static final String PROVIDER_SETTING = "TOLLGATE_TEST_PG_PROVIDER";

  private static TestPostgres shared;
  private static RuntimeException sharedFailure;

  private final PgBackend backend;
  private final boolean privateInstance;
  private volatile String version;

  private TestPostgres(PgBackend backend, boolean privateInstance) {
    this.backend = backend;
    this.privateInstance = privateInstance;
  }

  /** The JVM-wide server, started on first use and stopped when the JVM exits; never stopped by tests. */
  public static synchronized TestPostgres shared() {
    if (shared == null) {
      if (sharedFailure != null) {
        throw new IllegalStateException(sharedFailure.getMessage(), sharedFailure);
      }
      try {
        shared = provision(PgProviders.shared(), "shared");
      } catch (RuntimeException e) {
        sharedFailure = e;
        throw e;
      }
      TestPostgres server = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(server.backend::close, "tollgate-test-postgres-stop"));
    }
    return shared;
  }

  /** A new, empty database on the {@link #shared()} server for one test class. */
  public static TestDatabase forClass(String name) {
    return shared().createDatabase(name);
  }

  /**
   * A server of the caller's own, for outage tests: embedded, on a free port, stopped and deleted by
   * {@link #close()} (or at JVM exit). Takes 1–3 s.
   */
  public static TestPostgres startPrivate() {
    TestPostgres server = provision(PgProviders.privateServer(), "private");
    Runtime.getRuntime().addShutdownHook(new Thread(server.backend::close, "tollgate-test-postgres-stop"));
    return server;
  }

  private static TestPostgres provision(PgProviders.Started started, String role) {
    TestPostgres server = new TestPostgres(started.backend(), role.equals("private"));
    try {
      server.version = PgAdmin.queryString(server.connectOptions(), "SHOW server_version");
    } catch (RuntimeException e) {
      started.backend().close();
      throw new IllegalStateException("PostgreSQL (" + started.backend().provider() + ") at "
          + server.host() + ":" + server.port() + " does not answer: " + e.getMessage(), e);
    }
    Infrastructure.record(new Infrastructure.Provision("postgres", server.provider(), role,
        "PostgreSQL " + server.version + " on " + server.host() + ":" + server.port(),
        Duration.ofNanos(System.nanoTime() - started.startedAtNanos())));
    return server;
  }

  /**
   * Creates an empty database named {@code t_<name>_<random>} (lower case, at most 63 characters) owned by
   * {@link #user()}. Retries while another session holds the template database (error 55006).
   */
  public TestDatabase createDatabase(String name) {
    String database = databaseName(name);
    for (int attempt = 1; ; attempt++) {
      try {
        PgAdmin.execute(connectOptions(), "CREATE DATABASE \"" + database + "\"");
        return new TestDatabase(host(), port(), database, user(), password());
      } catch (PgException e) {
        if (!"55006".equals(e.getSqlState()) || attempt == 5) {
          throw e;
        }
        sleep(Duration.ofMillis(200L * attempt));
      }
    }
  }

  /** Drops a database made by {@link #createDatabase(String)}, closing its sessions; PostgreSQL 13+. */
  public void dropDatabase(TestDatabase database) {
    PgAdmin.execute(connectOptions(), "DROP DATABASE IF EXISTS \"" + database.database() + "\" WITH (FORCE)");
  }

  /** Options for the server's administration database, logged in as {@link #user()}. */
  public PgConnectOptions connectOptions() {
    return new PgConnectOptions().setHost(host()).setPort(port()).setDatabase(backend.adminDatabase())
        .setUser(user()).setPassword(password());
  }

  /** {@code url}, {@code testcontainers} or {@code embedded}. */
  public String provider() {
    return backend.provider();
  }

  public String host() {
    return backend.host();
  }

  public int port() {
    return backend.port();
  }

  public String user() {
    return backend.user();
  }

  public String password() {
    return backend.password();
  }

  /** E.g. {@code PostgreSQL 14.22 (embedded, shared) on 127.0.0.1:40123 as postgres; data in /tmp/...}. */
  public String describe() {
    return "PostgreSQL " + version + " (" + provider() + ", " + (privateInstance ? "private" : "shared") + ") on "
        + host() + ":" + port() + " as " + user() + "; " + backend.detail();
  }

  /**
   * Stops a private server (fast shutdown: sessions are cut), keeping its data.
   *
   * @throws UnsupportedOperationException on the shared server
   */
  public void stop() {
    requirePrivate("stop");
    backend.stop();
  }

  /** Starts a stopped private server again on the same port, with the same data; waits until it answers. */
  public void start() {
    requirePrivate("start");
    long started = System.nanoTime();
    backend.start();
    Infrastructure.record(new Infrastructure.Provision("postgres", provider(), "restart",
        "PostgreSQL " + version + " on " + host() + ":" + port(), Duration.ofNanos(System.nanoTime() - started)));
  }

  /** Stops a private server for good and deletes its data; a no-op on the shared server. */
  @Override
  public void close() {
    if (privateInstance) {
      backend.close();
    }
  }

  @Override
  public String toString() {
    return describe();
  }

  static String databaseName(String name) {
    String readable = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
    if (readable.length() > 40) {
      readable = readable.substring(0, 40);
    }
    byte[] random = new byte[4];
    ThreadLocalRandom.current().nextBytes(random);
    return "t_" + readable + "_" + HexFormat.of().formatHex(random);
  }

  private void requirePrivate(String action) {
    if (!privateInstance) {
      throw new UnsupportedOperationException("the shared PostgreSQL is never " + (action.equals("stop")
          ? "stopped" : "restarted") + " by tests; use TestPostgres.startPrivate() for outage tests");
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
