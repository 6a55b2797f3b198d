package io.tollgate.testkit.vertx;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Blocks a test thread on a Vert.x {@link Future}, with a deadline so a broken peer fails a test instead of
 * hanging the build.
 *
 * <p>Threads: call only from non-event-loop threads (JUnit test threads); blocking an event loop would
 * deadlock the very future being awaited, so that is rejected with {@link IllegalStateException}.
 */
public final class Await {

  private static final long POLL_MILLIS = 10;

  private Await() {}

  /**
   * Waits for {@code future} and returns its result.
   *
   * @throws IllegalStateException when called on an event-loop thread, or when interrupted
   * @throws AssertionError when the future is not complete within {@code timeout}
   * @throws RuntimeException the future's failure; checked failures are wrapped in {@link CompletionException}
   */
  public static <T> T result(Future<T> future, Duration timeout) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("Await.result blocks; call it from a test thread, not an event loop");
    }
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while awaiting a Vert.x future", e);
    } catch (TimeoutException e) {
      throw new AssertionError("Vert.x future did not complete within " + timeout, e);
    } catch (ExecutionException e) {
      throw unchecked(e.getCause());
    }
  }

  /**
   * Polls {@code condition} every 10 ms until it holds, for state that changes asynchronously (connections closing,
   * fetches counted). Test threads only.
   *
   * @param failure the assertion message when {@code timeout} passes first, built at that moment
   * @throws AssertionError when the condition does not hold within {@code timeout}
   */
  public static void until(BooleanSupplier condition, Duration timeout, Supplier<String> failure) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(failure.get() + " (waited " + timeout + ")");
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting", e);
      }
    }
  }

  private static RuntimeException unchecked(Throwable cause) {
    if (cause instanceof RuntimeException runtime) {
      return runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    return new CompletionException(cause);
  }
}
