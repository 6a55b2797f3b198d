package io.tollgate.upstream;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * Caps retries to a share of recent requests (Linkerd's retry budget; Envoy's {@code retry_budget} is the same idea
 * over concurrency): over the last {@value #WINDOW_SECONDS} s, retries may be at most {@code percent} % of the
 * requests plus {@code minPerSecond × }{@value #WINDOW_SECONDS}. When every upstream attempt fails, the load the
 * upstream sees is therefore bounded by about {@code (1 + percent/100) × requests} plus the minimum — a brownout
 * cannot become a retry storm, whatever {@code attempts} says.
 *
 * <p>Shared by every event loop, lock-free: ten one-second slots of atomic counters, each slot recycled by the
 * first caller of a new second (a compare-and-set on its epoch). Two event loops deciding in the same instant can
 * each take the last retry, so the cap may be overshot by at most one retry per event loop; increments racing a
 * slot's recycling may be lost. Both are far below what the budget is for.
 */
public final class RetryBudget {

  /** Length of the window, in seconds (Linkerd's default TTL). */
  public static final int WINDOW_SECONDS = 10;
  private static final long SLOT_NANOS = 1_000_000_000L;

  private final int percent;
  private final int minPerSecond;
  private final LongSupplier nanoClock;
  private final AtomicLongArray epochs = new AtomicLongArray(WINDOW_SECONDS);
  private final AtomicLongArray requests = new AtomicLongArray(WINDOW_SECONDS);
  private final AtomicLongArray retries = new AtomicLongArray(WINDOW_SECONDS);

  /** @param nanoClock a {@link System#nanoTime()}-like clock */
  public RetryBudget(int percent, int minPerSecond, LongSupplier nanoClock) {
    this.percent = percent;
    this.minPerSecond = minPerSecond;
    this.nanoClock = nanoClock;
    for (int i = 0; i < WINDOW_SECONDS; i++) {
      epochs.set(i, Long.MIN_VALUE);
    }
  }

  /** Counts a request that may be retried (its first attempt). */
  public void recordRequest() {
    requests.incrementAndGet(slot(epoch()));
  }

  /** Takes one retry from the budget; false (nothing taken) when the window's retries already reach the cap. */
  public boolean tryRetry() {
    long epoch = epoch();
    long sumRequests = 0;
    long sumRetries = 0;
    for (int i = 0; i < WINDOW_SECONDS; i++) {
      long e = epochs.get(i);
      if (e > epoch - WINDOW_SECONDS && e <= epoch) {
        sumRequests += requests.get(i);
        sumRetries += retries.get(i);
      }
    }
    if (sumRetries >= allowed(sumRequests)) {
      return false;
    }
    retries.incrementAndGet(slot(epoch));
    return true;
  }

  /** Retries the window allows for {@code requests} requests in it. */
  long allowed(long requests) {
    return requests * percent / 100 + (long) minPerSecond * WINDOW_SECONDS;
  }

  private long epoch() {
    return Math.floorDiv(nanoClock.getAsLong(), SLOT_NANOS);
  }

  /** The slot of {@code epoch}, emptied first if it still holds an older second. */
  private int slot(long epoch) {
    int i = (int) Math.floorMod(epoch, (long) WINDOW_SECONDS);
    long seen = epochs.get(i);
    if (seen != epoch && epochs.compareAndSet(i, seen, epoch)) {
      requests.set(i, 0);
      retries.set(i, 0);
    }
    return i;
  }
}
