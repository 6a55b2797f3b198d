package io.tollgate.testkit.process;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains a child's merged stdout/stderr on a daemon thread into a line list and a log file, so the child never
 * blocks on a full pipe. Lines are UTF-8. Thread-safe: readers wait on this object's monitor.
 */
final class OutputCapture {

  private static final Logger LOG = LoggerFactory.getLogger(OutputCapture.class);

  private final List<String> lines = new ArrayList<>();
  private final Path logFile;
  private final Thread pump;
  private boolean ended;

  private OutputCapture(InputStream output, Path logFile, String threadName) {
    this.logFile = logFile;
    this.pump = new Thread(() -> pump(output), threadName);
    this.pump.setDaemon(true);
  }

  /** Starts draining {@code output}, writing every line to {@code logFile} as well. */
  static OutputCapture start(InputStream output, Path logFile, String threadName) {
    OutputCapture capture = new OutputCapture(output, logFile, threadName);
    capture.pump.start();
    return capture;
  }

  Path logFile() {
    return logFile;
  }

  synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /**
   * The first line, old or new, matching {@code condition}; empty when the output ends without one or
   * {@code timeout} passes.
   */
  synchronized Optional<String> awaitLine(Predicate<String> condition, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int scanned = 0;
    while (true) {
      for (; scanned < lines.size(); scanned++) {
        if (condition.test(lines.get(scanned))) {
          return Optional.of(lines.get(scanned));
        }
      }
      long remaining = deadline - System.nanoTime();
      if (ended || remaining <= 0) {
        return Optional.empty();
      }
      wait(Math.max(1, remaining / 1_000_000));
    }
  }

  /** Whether the output has ended: the child closed its stdout, normally by exiting. */
  synchronized boolean ended() {
    return ended;
  }

  /** Waits for the child's output to end (it has exited and the pipe is drained). */
  boolean awaitEnd(Duration timeout) throws InterruptedException {
    pump.join(Math.max(1, timeout.toMillis()));
    return !pump.isAlive();
  }

  /** The last {@code count} lines, for failure messages. */
  synchronized String tail(int count) {
    return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
  }

  private void pump(InputStream output) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
        Writer file = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8)) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        file.write(line);
        file.write('\n');
        file.flush();
        add(line);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("stopped capturing child output to {}: {}", logFile, e.toString());
    } finally {
      markEnded();
    }
  }

  private synchronized void add(String line) {
    lines.add(line);
    notifyAll();
  }

  private synchronized void markEnded() {
    ended = true;
    notifyAll();
  }
}
