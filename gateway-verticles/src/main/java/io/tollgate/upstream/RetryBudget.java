package io.tollgate.upstream;

import java.util.function.LongSupplier;

/**
 * Caps retries to a share of recent requests (Linkerd's retry budget; Envoy's {@code retry_budget} is the same idea
 * over concurrency): over the last {@value #WINDOW_SECONDS} s, retries may be at most {@code percent} % of the
 * requests plus {@code minPerSecond × }{@value #WINDOW_SECONDS}. When every upstream attempt fails, the load the
 * upstream sees is therefore bounded by about {@code (1 + percent/100) × requests} plus the minimum — a brownout
 * cannot become a retry storm, whatever {@code attempts} says.
 *
 * <p>Shared by every event loop, lock-free: ten one-second {@link SecondSlots}. Two event loops deciding in the same
 * instant can each take the last retry, so the cap may be overshot by at most one retry per event loop; increments
 * racing a slot's recycling may be lost. Both are far below what the budget is for.
 */
public final class RetryBudget {

  /** Length of the window, in seconds (Linkerd's default TTL). */
  public static final int WINDOW_SECONDS = 10;
  private static final int REQUESTS = 0;
  private static final int RETRIES = 1;

  private final int percent;
  private final int minPerSecond;
  private final SecondSlots window;

  /** @param nanoClock a {@link System#nanoTime()}-like clock */
  public RetryBudget(int percent, int minPerSecond, LongSupplier nanoClock) {
    this.percent = percent;
    this.minPerSecond = minPerSecond;
    this.window = new SecondSlots(WINDOW_SECONDS, 2, nanoClock);
  }

  /** Counts a request that may be retried (its first attempt). */
  public void recordRequest() {
    window.increment(REQUESTS);
  }

  /** Takes one retry from the budget; false (nothing taken) when the window's retries already reach the cap. */
  public boolean tryRetry() {
    if (window.sum(RETRIES) >= allowed(window.sum(REQUESTS))) {
      return false;
    }
    window.increment(RETRIES);
    return true;
  }

  /** Retryable requests in the window (for status pages). */
  public long requestsInWindow() {
    return window.sum(REQUESTS);
  }

  /** Retries taken in the window (for status pages). */
  public long retriesInWindow() {
    return window.sum(RETRIES);
  }

  /** Retries the window allows now (for status pages). */
  public long allowedInWindow() {
    return allowed(requestsInWindow());
  }

  /** Retries the window allows for {@code requests} requests in it. */
  long allowed(long requests) {
    return requests * percent / 100 + (long) minPerSecond * WINDOW_SECONDS;
  }
}
