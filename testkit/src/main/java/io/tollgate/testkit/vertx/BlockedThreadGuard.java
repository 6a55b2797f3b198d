package io.tollgate.testkit.vertx;

import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that fails a test when a Vert.x thread was blocked past its limit while the test ran.
 * Vert.x's own checker only logs a warning; this turns the warning into a failure.
 *
 * <pre>{@code
 * @ExtendWith(BlockedThreadGuard.class)
 * class RoutingIT {
 *   Vertx vertx = Vertx.vertx(BlockedThreadGuard.vertxOptions());
 *   ...
 * }
 * }</pre>
 *
 * <p>How: Vert.x logs through SLF4J when it is present; the guard attaches a logback appender to the
 * checker's logger ({@value BlockedThreadLog#CHECKER_LOGGER}) and, after each test, fails if anything was
 * logged there. It covers every Vert.x instance in the JVM, and the checker only sees instances created with
 * limits like {@link #vertxOptions()}'s.
 *
 * <p>False alarms: one-time JVM work that Netty does inside the first event-loop task (JFR registration by
 * its allocator, ~250 ms here) is done up front on the test thread. Stalls from GC or JIT remain possible,
 * which is why the threshold should stay at 200 ms or more on small machines.
 *
 * <p>Limits: the checker samples every 100 ms, so a block shorter than threshold + 100 ms may pass
 * unnoticed; a block still in progress when a test ends is reported to the next test (flagged as such).
 * Reports are JVM-wide, so the guard assumes tests in a JVM do not run concurrently (JUnit's default).
 */
public final class BlockedThreadGuard implements BeforeEachCallback, AfterEachCallback {

  /** System property holding the event-loop threshold in milliseconds; STYLE.md asks for at least 200. */
  public static final String THRESHOLD_PROPERTY = "tollgate.blocked.threshold.ms";

  private static final long DEFAULT_THRESHOLD_MS = 200;
  private static final long CHECK_INTERVAL_MS = 100;
  private static final long WORKER_LIMIT_MS = 10_000;

  private final BlockedThreadLog log;
  private volatile Instant testStarted = Instant.MIN;

  /**
   * Attaches the appender and warms up one-time JVM initialisations known to stall a first event-loop task
   * (once per JVM); usable with {@code @ExtendWith} or {@code @RegisterExtension}.
   */
  public BlockedThreadGuard() {
    this.log = BlockedThreadLog.attached();
    JvmWarmup.run();
  }

  /**
   * Options for a Vert.x instance under guard: check every 100 ms, event loops may run a task for
   * {@link #threshold()}, workers for 10 s; every warning carries the blocked thread's stack.
   */
  public static VertxOptions vertxOptions() {
    return new VertxOptions()
        .setBlockedThreadCheckInterval(CHECK_INTERVAL_MS)
        .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        .setMaxEventLoopExecuteTime(threshold().toMillis())
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setWarningExceptionTime(threshold().toMillis())
        .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS)
        .setMaxWorkerExecuteTime(WORKER_LIMIT_MS)
        .setMaxWorkerExecuteTimeUnit(TimeUnit.MILLISECONDS);
  }

  /** The event-loop threshold: {@value #THRESHOLD_PROPERTY}, default 200 ms. */
  public static Duration threshold() {
    String configured = System.getProperty(THRESHOLD_PROPERTY);
    if (configured == null || configured.isBlank()) {
      return Duration.ofMillis(DEFAULT_THRESHOLD_MS);
    }
    try {
      return Duration.ofMillis(Long.parseLong(configured.strip()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(THRESHOLD_PROPERTY + " must be a number of milliseconds: "
          + configured, e);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    BlockedThreadLog.attached();
    testStarted = Instant.now();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    assertNoBlockedThreads();
  }

  /**
   * Fails if any blocked-thread warning was logged since the last check, and forgets them either way.
   *
   * @throws AssertionError listing every warning, with the blocked thread's stack when Vert.x logged one
   */
  public void assertNoBlockedThreads() {
    List<BlockedThreadLog.Report> reports = log.drain();
    if (reports.isEmpty()) {
      return;
    }
    Instant started = testStarted;
    String details = reports.stream()
        .map(report -> "  - " + report.message()
            + (report.at().isBefore(started) ? "\n    (reported before this test started)" : ""))
        .collect(Collectors.joining("\n"));
    throw new AssertionError("A Vert.x thread was blocked longer than allowed (event loops: " + threshold()
        + "), so the test fails:\n" + details);
  }
}
