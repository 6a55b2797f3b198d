package io.tollgate.ratelimit;

import java.time.Instant;

/**
 * Whether one ingress instance's Redis connection is usable, as a small circuit breaker: after
 * {@link #FAILURES_TO_GO_DOWN} round trips (batches of decisions) in a row failed (over budget, connection lost, error reply) Redis is
 * {@code down}; calls then fail at once, without waiting out the budget, except one probe every
 * {@link #PROBE_INTERVAL_NANOS}; the first probe that succeeds brings it back {@code up}. A single slow call only
 * sends its own request to the fallback; an outage costs each request nothing beyond the fallback, and recovery is
 * automatic and quick.
 *
 * <p>Written only on its ingress instance's event loop; read by status pages from any thread (volatile fields).
 */
final class RedisHealth {

  /** While down, one call per instance tries Redis this often. */
  static final long PROBE_INTERVAL_NANOS = 250_000_000L;
  /** Consecutive failed round trips that mark Redis down. */
  static final int FAILURES_TO_GO_DOWN = 3;

  private final String endpoint;
  private volatile boolean up = true;
  private volatile Instant since = Instant.now();
  private volatile String lastError;
  private long nextProbeNanos;
  private boolean probing;
  private int consecutiveFailures;

  RedisHealth(String endpoint) {
    this.endpoint = endpoint;
  }

  /** True when a call may go to Redis now (it is up, or it is time for the one probe). */
  boolean admit(long nowNanos) {
    if (up) {
      return true;
    }
    if (probing || nowNanos - nextProbeNanos < 0) {
      return false;
    }
    probing = true;
    return true;
  }

  /** @return true when this call brought Redis back up */
  boolean succeeded() {
    probing = false;
    consecutiveFailures = 0;
    if (up) {
      return false;
    }
    up = true;
    since = Instant.now();
    return true;
  }

  /** @return true when this failure took Redis down */
  boolean failed(long nowNanos, String reason) {
    probing = false;
    nextProbeNanos = nowNanos + PROBE_INTERVAL_NANOS;
    lastError = reason;
    if (!up || ++consecutiveFailures < FAILURES_TO_GO_DOWN) {
      return false;
    }
    up = false;
    since = Instant.now();
    return true;
  }

  boolean isUp() {
    return up;
  }

  Instant since() {
    return since;
  }

  String lastError() {
    return lastError;
  }

  String endpoint() {
    return endpoint;
  }
}
