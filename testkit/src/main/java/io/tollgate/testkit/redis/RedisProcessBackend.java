package io.tollgate.testkit.redis;

import io.tollgate.testkit.net.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@code redis-server} child process of this JVM: 127.0.0.1 on a free port, no persistence, not
 * daemonized (so the JVM owns it and {@link #stop()} is a plain SIGTERM), its log and working directory in
 * a temporary directory that {@link #close()} removes.
 */
final class RedisProcessBackend implements RedisBackend {

  private static final Duration STARTUP_WAIT = Duration.ofSeconds(15);
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);

  private final String provider;
  private final Path executable;
  private final Path directory;
  private final int port;
  private Process process;
  private boolean closed;

  private RedisProcessBackend(String provider, Path executable, Path directory, int port) {
    this.provider = provider;
    this.executable = executable;
    this.directory = directory;
    this.port = port;
  }

  /** Starts {@code executable} and waits for PONG; the caller owns the result and must close it. */
  static RedisProcessBackend launch(String provider, Path executable) {
    Path directory;
    try {
      directory = Files.createTempDirectory("tollgate-redis-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for redis-server", e);
    }
    RedisProcessBackend backend = new RedisProcessBackend(provider, executable, directory, FreePorts.next());
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
    return provider;
  }

  @Override
  public RedisEndpoint endpoint() {
    return RedisEndpoint.local("127.0.0.1", port);
  }

  @Override
  public String detail() {
    return executable + ", log " + log();
  }

  @Override
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("redis-server on port " + port + " was closed");
    }
    if (process != null && process.isAlive()) {
      return;
    }
    ProcessBuilder builder = new ProcessBuilder(List.of(executable.toString(),
        "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--daemonize", "no", "--dir", directory.toString()))
        .directory(directory.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile()));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + executable + ": " + e.getMessage(), e);
    }
    awaitPong();
  }

  @Override
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    process.destroy(); // SIGTERM: without save points redis-server exits at once
    try {
      if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    } finally {
      process = null;
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

  private void awaitPong() {
    long deadline = System.nanoTime() + STARTUP_WAIT.toNanos();
    IOException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(executable + " exited with " + process.exitValue() + " on port " + port
            + ":\n" + logTail());
      }
      try (RespConnection connection = RespConnection.open(endpoint(), Duration.ofSeconds(1))) {
        if ("PONG".equals(connection.call("PING"))) {
          return;
        }
      } catch (IOException e) {
        last = e;
      }
      pause(Duration.ofMillis(10));
    }
    stop();
    throw new IllegalStateException(executable + " did not answer PING on port " + port + " within " + STARTUP_WAIT
        + " (" + last + "):\n" + logTail());
  }

  private Path log() {
    return directory.resolve("redis.log");
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(log(), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for redis-server", e);
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // Best effort: a leftover temp directory must not fail a test run.
    }
  }
}
