package io.tollgate.testing;

import io.tollgate.testkit.process.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fat jar run as its own process, the way an operator runs it:
 * {@code java <jvmArgs> -jar tollgate.jar --config <file>}. Its output is captured by {@link JavaProcess}
 * (also in {@code target/process-logs/}).
 *
 * <p>The jar's path comes from the system property {@value #JAR_PROPERTY}, which Failsafe sets after
 * {@code package} built the jar. Threads: use from test threads.
 */
public final class GatewayProcess implements AutoCloseable {

  public static final String JAR_PROPERTY = "tollgate.jar";

  private static final Pattern READY = Pattern.compile("tollgate ready on port (\\d+) in (\\d+) ms");

  private final JavaProcess process;
  private final long launchedNanos;

  private GatewayProcess(JavaProcess process, long launchedNanos) {
    this.process = process;
    this.launchedNanos = launchedNanos;
  }

  /** The fat jar under test. */
  public static Path jar() {
    String path = System.getProperty(JAR_PROPERTY);
    if (path == null || path.isBlank()) {
      throw new IllegalStateException("system property " + JAR_PROPERTY
          + " is not set: run this test through Failsafe (mvn verify), which sets it after 'package'");
    }
    Path jar = Path.of(path);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(JAR_PROPERTY + " points to " + jar + ", which does not exist");
    }
    return jar;
  }

  /** Writes {@code yaml} to {@code directory/name} and returns the file. */
  public static Path writeConfig(Path directory, String name, String yaml) {
    try {
      return Files.writeString(directory.resolve(name), yaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write config " + name, e);
    }
  }

  /** Launches the gateway with {@code config}; does not wait for it to be ready (see {@link #awaitReady}). */
  public static GatewayProcess launch(Path config, List<String> jvmArgs) {
    return launch(config, jvmArgs, List.of());
  }

  /** Launches the gateway with {@code config} and further command-line {@code flags} (e.g. {@code --transport}). */
  public static GatewayProcess launch(Path config, List<String> jvmArgs, List<String> flags) {
    List<String> args = new ArrayList<>(List.of("--config", config.toAbsolutePath().toString()));
    args.addAll(flags);
    JavaProcess process = JavaProcess.jar(jar(), jvmArgs, args, Map.of());
    long launched = System.nanoTime();
    return new GatewayProcess(process.start(), launched);
  }

  /**
   * Waits for the ready line ({@code tollgate ready on port <p> in <n> ms}) and returns the time from launch
   * until this test saw it.
   *
   * @throws AssertionError when the process exits or {@code timeout} passes first
   */
  public Duration awaitReady(Duration timeout) {
    process.awaitLine(line -> READY.matcher(line).find(), timeout);
    return Duration.ofNanos(System.nanoTime() - launchedNanos);
  }

  /** Startup as the gateway measured it (JVM start to ready), from its ready line. */
  public Duration reportedStartup() {
    return Duration.ofMillis(Long.parseLong(readyLine().group(2)));
  }

  /** The public listener's port, from the ready line. */
  public int port() {
    return Integer.parseInt(readyLine().group(1));
  }

  private Matcher readyLine() {
    for (String line : process.lines()) {
      Matcher m = READY.matcher(line);
      if (m.find()) {
        return m;
      }
    }
    throw new IllegalStateException("the gateway has not logged its ready line yet");
  }

  /** The child process: output lines, {@code sigterm()}, {@code awaitExit(..)}, {@code isAlive()}. */
  public JavaProcess process() {
    return process;
  }

  /** Output lines containing {@code text}. */
  public List<String> linesContaining(String text) {
    return process.lines().stream().filter(line -> line.contains(text)).toList();
  }

  /** Kills the process if it is still running (SIGKILL); idempotent. */
  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return "GatewayProcess[" + process + "]";
  }
}
