package io.tollgate.upstream;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The node's view of one upstream address ({@code host:port}): requests in flight and passive health. Shared by
 * every service, route and config snapshot naming that address, so a reload keeps both. Thread-safe; the request
 * path only touches atomics.
 */
public final class TargetHealth {

  private final String address;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  /** One instance per address: {@code ctx.onFinish(health.release())} allocates nothing per request. */
  private final Runnable release = inFlight::decrementAndGet;
  private volatile long ejectedUntilNanos;
  private volatile boolean ejected;
  private volatile int ejections;

  TargetHealth(String address) {
    this.address = address;
  }

  public String address() {
    return address;
  }

  /** Counts a request sent to this address; run {@link #release()} exactly once when it is over. */
  public void acquire() {
    inFlight.incrementAndGet();
  }

  /** Ends one request of {@link #acquire()} (the same instance every time). */
  public Runnable release() {
    return release;
  }

  public int inFlight() {
    return inFlight.get();
  }

  public int consecutiveFailures() {
    return consecutiveFailures.get();
  }

  /** Times this address was ejected since the node started. */
  public int ejections() {
    return ejections;
  }

  /** True while an ejection lasts at {@code nowNanos}. */
  public boolean isEjected(long nowNanos) {
    return ejected && nowNanos - ejectedUntilNanos < 0;
  }

  /** End of the current or last ejection ({@link System#nanoTime()} scale); meaningless if never ejected. */
  long ejectedUntilNanos() {
    return ejectedUntilNanos;
  }

  void succeeded() {
    if (consecutiveFailures.get() != 0) {
      consecutiveFailures.set(0);
    }
  }

  /** @return failures in a row including this one */
  int failed() {
    // Saturates instead of wrapping negative during a long outage of a target that cannot be ejected.
    return consecutiveFailures.updateAndGet(n -> n == Integer.MAX_VALUE ? n : n + 1);
  }

  /** Called under the node's ejection lock. */
  void eject(long untilNanos) {
    ejections++;
    ejectedUntilNanos = untilNanos;
    ejected = true;
    consecutiveFailures.set(0);
  }
}
