package io.tollgate.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * One limit applied to one request: {@code permits} per {@code period}, up to {@code burst} at once, counted
 * under {@code key} (already computed by the caller from client IP, {@code sub}, tenant, route, ...).
 *
 * <p>GCRA view: one permit is earned every {@link #emissionMicros()} ({@code period / permits}, rounded up to
 * a whole microsecond, so rounding never admits more than configured); an idle key admits {@code burst}
 * requests at once, then one per emission interval. {@code burst = permits} (the default) means "the whole
 * period's allowance may arrive at once, never more than that in any window of one period".
 *
 * @param name   stable name for headers, logs and metrics, e.g. {@code per-user-10s}
 * @param permits requests per period, at least 1
 * @param period the period, positive (at least 1 µs per permit)
 * @param burst  most requests admitted at once by an idle key, at least 1; default {@code permits}
 * @param key    the state key, non-blank; for {@link GcraRedisRateLimiter} every limit of one request must carry
 *               the same Redis Cluster hash tag ({@code {...}}), see {@link GcraRedisRateLimiter}
 * @param enforced {@code false} for a shadow limit: evaluated and reported in {@link Decision#shadowDenied()}, but
 *               its denial never rejects the request nor stops the other limits from consuming; it consumes a
 *               permit itself only when it would have allowed
 */
public record RateLimit(String name, long permits, Duration period, long burst, String key, boolean enforced) {

  public RateLimit {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(key, "key");
    if (permits < 1) {
      throw new IllegalArgumentException("limit " + name + ": permits must be at least 1, got " + permits);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("limit " + name + ": burst must be at least 1, got " + burst);
    }
    if (period.isNegative() || period.toNanos() / 1_000 < permits) {
      throw new IllegalArgumentException("limit " + name + ": period " + period + " is shorter than 1 µs per permit");
    }
    if (key.isBlank()) {
      throw new IllegalArgumentException("limit " + name + ": key must not be blank");
    }
  }

  /** An enforced limit. */
  public RateLimit(String name, long permits, Duration period, long burst, String key) {
    this(name, permits, period, burst, key, true);
  }

  /** A limit whose burst is its permits (the whole period's allowance may arrive at once). */
  public static RateLimit of(String name, long permits, Duration period, String key) {
    return new RateLimit(name, permits, period, permits, key);
  }

  /** The same limit under another key. */
  public RateLimit withKey(String newKey) {
    return new RateLimit(name, permits, period, burst, newKey, enforced);
  }

  /**
   * This limit's share on one of {@code nodes} nodes (the {@code local} fallback): permits and burst divided,
   * rounded down, never below 1.
   */
  public RateLimit dividedBy(int nodes) {
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes must be at least 1, got " + nodes);
    }
    return new RateLimit(name, Math.max(1, permits / nodes), period, Math.max(1, burst / nodes), key, enforced);
  }

  /** Microseconds between two permits: {@code period / permits}, rounded up. */
  public long emissionMicros() {
    long periodMicros = period.toNanos() / 1_000;
    return (periodMicros + permits - 1) / permits;
  }

  /** GCRA delay-variation tolerance: {@code burst} emission intervals, in microseconds. */
  public long toleranceMicros() {
    return Math.multiplyExact(emissionMicros(), burst);
  }
}
