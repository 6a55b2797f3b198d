package io.tollgate.testkit.vertx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.threadchecker.BlockedThreadChecker;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Drives the guard by hand (not as this class's extension) so a blocked loop can be provoked on purpose. */
class BlockedThreadGuardTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private final BlockedThreadGuard guard = new BlockedThreadGuard();
  private Vertx vertx;

  @BeforeEach
  void start() {
    guard.beforeEach(null);
    vertx = Vertx.vertx(BlockedThreadGuard.vertxOptions());
  }

  @AfterEach
  void stop() {
    Await.result(vertx.close(), WAIT);
    guard.assertNoBlockedThreads();
  }

  @Test
  void failsWhenAnEventLoopIsBlockedPastTheThreshold() {
    onEventLoop(() -> sleep(BlockedThreadGuard.threshold().toMillis() + 600));
    // The checker runs every 100 ms: let any report about the block that just ended land before reading them.
    sleep(300);

    assertThatThrownBy(guard::assertNoBlockedThreads)
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("vert.x-eventloop-thread")
        .hasMessageContaining("blocked");
    assertThatCode(guard::assertNoBlockedThreads).as("reports are cleared once raised").doesNotThrowAnyException();
  }

  @Test
  void passesWhenEventLoopsStayResponsive() {
    for (int i = 0; i < 20; i++) {
      onEventLoop(() -> sleep(5));
    }

    assertThatCode(guard::assertNoBlockedThreads).doesNotThrowAnyException();
  }

  @Test
  void configuresVertxToCheckOftenAgainstTheThreshold() {
    VertxOptions options = BlockedThreadGuard.vertxOptions();

    assertThat(options.getBlockedThreadCheckIntervalUnit().toMillis(options.getBlockedThreadCheckInterval()))
        .isEqualTo(100);
    assertThat(options.getMaxEventLoopExecuteTimeUnit().toMillis(options.getMaxEventLoopExecuteTime()))
        .isEqualTo(BlockedThreadGuard.threshold().toMillis());
    assertThat(options.getMaxWorkerExecuteTimeUnit().toSeconds(options.getMaxWorkerExecuteTime()))
        .isEqualTo(10);
  }

  @Test
  void readsTheThresholdFromTheSystemProperty() {
    String previous = System.getProperty(BlockedThreadGuard.THRESHOLD_PROPERTY);
    try {
      System.clearProperty(BlockedThreadGuard.THRESHOLD_PROPERTY);
      assertThat(BlockedThreadGuard.threshold()).isEqualTo(Duration.ofMillis(200));
      System.setProperty(BlockedThreadGuard.THRESHOLD_PROPERTY, "350");
      assertThat(BlockedThreadGuard.threshold()).isEqualTo(Duration.ofMillis(350));
    } finally {
      if (previous == null) {
        System.clearProperty(BlockedThreadGuard.THRESHOLD_PROPERTY);
      } else {
        System.setProperty(BlockedThreadGuard.THRESHOLD_PROPERTY, previous);
      }
    }
  }

  @Test
  void listensOnTheLoggerVertxActuallyUses() {
    assertThat(BlockedThreadLog.CHECKER_LOGGER).isEqualTo(BlockedThreadChecker.LOGGER_NAME);
  }

  private void onEventLoop(Runnable task) {
    Promise<Void> done = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> {
      task.run();
      done.complete();
    });
    Await.result(done.future(), WAIT);
  }

  private static void sleep(long millis) {
    try {
      TimeUnit.MILLISECONDS.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
