package io.tollgate.upstream;

import java.time.Duration;

/**
 * Exponential back-off with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): the n-th retry
 * waits a uniformly random time in {@code [0, min(max, base × 2^(n-1))]}. Full jitter spreads the retries of many
 * clients that failed together, so they do not return in a synchronized wave. Immutable, thread-safe.
 */
public record Backoff(long baseNanos, long maxNanos) {

  public static Backoff of(Duration base, Duration max) {
    return new Backoff(base.toNanos(), max.toNanos());
  }

  /** The cap of the {@code retry}-th retry's wait (1 for the first retry), in nanoseconds. */
  public long ceilingNanos(int retry) {
    int shift = Math.min(Math.max(retry - 1, 0), 30);
    long ceiling = baseNanos << shift;
    return ceiling < 0 || ceiling > maxNanos || (ceiling >> shift) != baseNanos ? maxNanos : ceiling;
  }

  /** The wait before the {@code retry}-th retry for {@code random} in [0, 1), in nanoseconds. */
  public long delayNanos(int retry, double random) {
    return (long) (ceilingNanos(retry) * random);
  }
}
