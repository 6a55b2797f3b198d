package io.tollgate.testkit.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A child JVM run by a test — the gateway's fat jar, a Kafka broker — started with the same {@code java} as the
 * test JVM, its stdout and stderr merged and captured line by line (in memory and in
 * {@code target/process-logs/<name>-<pid>.log}).
 *
 * <pre>{@code
 * try (JavaProcess gateway = JavaProcess.jar(fatJar, List.of("-Xmx256m"), List.of("--config", cfg), Map.of())
 *     .start()) {
 *   gateway.awaitLine(line -> line.contains("listening"), Duration.ofSeconds(20));
 *   gateway.sigterm();
 *   assertThat(gateway.awaitExit(Duration.ofSeconds(10))).isEqualTo(143);
 * }
 * }</pre>
 *
 * <p>The child inherits the test's environment plus {@code env}. Waits fail with {@link AssertionError} and
 * the output's tail. Threads: methods may be called from any thread; {@link #start()} once.
 */
public final class JavaProcess implements AutoCloseable {

  private static final Path LOG_DIRECTORY = Path.of("target", "process-logs");
  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration EXIT_AFTER_OUTPUT_ENDS = Duration.ofSeconds(2);
  private static final int TAIL_LINES = 40;

  private final String name;
  private final List<String> command;
  private final Map<String, String> env;
  private volatile Process process;
  private volatile OutputCapture output;

  private JavaProcess(String name, List<String> command, Map<String, String> env) {
    this.name = name;
    this.command = List.copyOf(command);
    this.env = Map.copyOf(env);
  }

  /** {@code java <jvmArgs> -jar <jar> <args>}; not started yet. */
  public static JavaProcess jar(Path jar, List<String> jvmArgs, List<String> args, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(jvmArgs);
    command.add("-jar");
    command.add(jar.toAbsolutePath().toString());
    command.addAll(args);
    String fileName = jar.getFileName().toString();
    return new JavaProcess(fileName.replaceFirst("\\.jar$", ""), command, env);
  }

  /** {@code java <jvmArgs> -cp <classpath> <mainClass> <args>}; not started yet. */
  public static JavaProcess mainClass(String classpath, String mainClass, List<String> jvmArgs, List<String> args,
      Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(javaExecutable());
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(args);
    return new JavaProcess(mainClass.substring(mainClass.lastIndexOf('.') + 1), command, env);
  }

  /**
   * Launches the child and starts capturing its output.
   *
   * @throws IllegalStateException when already started
   * @throws UncheckedIOException when the process cannot be launched
   */
  public synchronized JavaProcess start() {
    if (process != null) {
      throw new IllegalStateException(name + " was already started");
    }
    try {
      Files.createDirectories(LOG_DIRECTORY);
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(env);
      Process started = builder.start();
      Path logFile = LOG_DIRECTORY.resolve(name + "-" + started.pid() + ".log");
      output = OutputCapture.start(started.getInputStream(), logFile, "output-" + name + "-" + started.pid());
      process = started;
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot launch " + command, e);
    }
  }

  public long pid() {
    return started().pid();
  }

  public boolean isAlive() {
    return started().isAlive();
  }

  /** The command line run, for diagnostics. */
  public List<String> command() {
    return command;
  }

  /** Every output line so far (stdout and stderr merged); a snapshot. */
  public List<String> lines() {
    return capture().lines();
  }

  /** Where the output is also written. */
  public Path logFile() {
    return capture().logFile();
  }

  /**
   * Waits for an output line matching {@code condition} (earlier lines count) and returns it.
   *
   * @throws AssertionError when the output ends (the child exited) or {@code timeout} passes first
   */
  public String awaitLine(Predicate<String> condition, Duration timeout) {
    try {
      Optional<String> line = capture().awaitLine(condition, timeout);
      if (line.isPresent()) {
        return line.get();
      }
      if (capture().ended()) {
        // The pipe closes a moment before the exit status can be read.
        started().waitFor(EXIT_AFTER_OUTPUT_ENDS.toMillis(), TimeUnit.MILLISECONDS);
      }
      throw new AssertionError("no matching output line from " + this + " within " + timeout
          + (isAlive() ? "" : " (it exited with " + started().exitValue() + ")") + "; last lines:\n"
          + capture().tail(TAIL_LINES));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for output of " + this, e);
    }
  }

  /**
   * Asks the child to stop with SIGTERM (on Linux and macOS), so its shutdown hooks run; a JVM stopped this way
   * exits with 143. Unlike {@link Process#destroy()} this leaves the output pipe open, so the lines the child
   * prints while stopping are still captured.
   */
  public void sigterm() {
    ProcessHandle handle = started().toHandle();
    if (!handle.supportsNormalTermination()) {
      throw new UnsupportedOperationException("this platform cannot send SIGTERM");
    }
    handle.destroy();
  }

  /**
   * Waits for the child to exit and its output to be drained, and returns its exit code.
   *
   * @throws AssertionError when it is still running after {@code timeout}
   */
  public int awaitExit(Duration timeout) {
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      if (!started().waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new AssertionError(this + " did not exit within " + timeout + "; last lines:\n"
            + capture().tail(TAIL_LINES));
      }
      capture().awaitEnd(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())).plusSeconds(1));
      return started().exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + this + " to exit", e);
    }
  }

  /** Kills the child and its descendants (SIGKILL) if still running, and waits for them; idempotent. */
  @Override
  public void close() {
    Process running = process;
    if (running == null || !running.isAlive()) {
      return;
    }
    running.descendants().forEach(ProcessHandle::destroyForcibly);
    running.toHandle().destroyForcibly();
    try {
      if (!running.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(this + " survived SIGKILL for " + KILL_TIMEOUT);
      }
      output.awaitEnd(KILL_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while killing " + this, e);
    }
  }

  @Override
  public String toString() {
    Process running = process;
    return "JavaProcess[" + name + (running == null ? ", not started" : ", pid " + running.pid()) + "]";
  }

  private Process started() {
    return Objects.requireNonNull(process, () -> name + " has not been started");
  }

  private OutputCapture capture() {
    started();
    return output;
  }

  /** The test JVM's own launcher, so the child runs the same Java. */
  private static String javaExecutable() {
    return ProcessHandle.current().info().command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
