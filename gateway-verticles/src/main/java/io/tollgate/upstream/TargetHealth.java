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
  /** Requests waiting for a connection to this address (pool queue or connect in progress), node-wide. */
  private final AtomicInteger connecting = new AtomicInteger();
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  /** One instance per address: {@code ctx.onFinish(health.release())} allocates nothing per request. */
  private final Runnable release = inFlight::decrementAndGet;
  private volatile long ejectedUntilNanos;
  private volatile boolean ejected;
  private volatile int ejections;
  /** Active health: written only by the upstreams control verticle, read by every event loop. */
  private volatile boolean checkFailing;
  private volatile int checkStreak;

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

  /** A request starts waiting for a connection; {@link #connected()} exactly once when the wait is over. */
  public void connecting() {
    connecting.incrementAndGet();
  }

  public void connected() {
    connecting.decrementAndGet();
  }

  /** Requests waiting for a connection right now. */
  public int waitingForConnection() {
    return connecting.get();
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

  /** True while active health checks take this address out of rotation. */
  public boolean isUnhealthy() {
    return checkFailing;
  }

  /**
   * Records an active check's result (single writer: the upstreams control verticle). Returns true when the
   * address changed state: {@code unhealthyThreshold} failures in a row take it out, {@code healthyThreshold}
   * passes in a row bring it back.
   */
  boolean checked(boolean passed, int healthyThreshold, int unhealthyThreshold) {
    int streak = checkStreak;
    streak = passed ? Math.max(streak, 0) + 1 : Math.min(streak, 0) - 1;
    checkStreak = Math.max(-1_000_000, Math.min(1_000_000, streak));
    if (checkFailing && streak >= healthyThreshold) {
      checkFailing = false;
      return true;
    }
    if (!checkFailing && -streak >= unhealthyThreshold) {
      checkFailing = true;
      return true;
    }
    return false;
  }

  /** Forgets active health (the address is no longer checked): healthy again. */
  void clearChecks() {
    checkStreak = 0;
    checkFailing = false;
  }

  /** Called under the node's ejection lock. */
  void eject(long untilNanos) {
    ejections++;
    ejectedUntilNanos = untilNanos;
    ejected = true;
    consecutiveFailures.set(0);
  }
}
