package io.tollgate.ratelimit;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@link Gcra} in process, for standalone mode (no Redis) and the {@code local} failure mode: the same decisions
 * as {@link GcraRedisRateLimiter} for the same arrival times, on one node only.
 *
 * <p><b>Threads.</b> One instance per node, shared by every ingress instance and thread-safe: a request's limits
 * are checked and updated under one lock, because "a denial consumes from none" needs atomicity across keys
 * (per-key {@code ConcurrentHashMap.compute} cannot give that). The critical section is a few map operations, no
 * I/O; {@link #acquire} returns an already completed future, so listeners run on the caller's thread.
 *
 * <p><b>Memory.</b> At most {@code maxKeys} keys (default {@value #DEFAULT_MAX_KEYS}). Keys are kept in
 * least-recently-used order; each call drops up to 4 of the least recently used keys
 * whose TAT has passed (they equal absent keys). Beyond {@code maxKeys} the least recently used key is dropped
 * even if not yet full, which forgives that key's recent use: bounded memory wins over exactness there.
 *
 * <p><b>Clock.</b> Microseconds from an injectable source, default {@link System#nanoTime()} (monotonic, so
 * wall-clock steps do not free or freeze permits).
 */
public final class GcraLocalRateLimiter implements RateLimiter {

  /** Default key bound. */
  public static final int DEFAULT_MAX_KEYS = 100_000;
  private static final int SWEEP_PER_CALL = 4;

  private final LongSupplier clockMicros;
  private final int maxKeys;
  private final LinkedHashMap<String, Long> tats = new LinkedHashMap<>(64, 0.75f, true);

  /** {@value #DEFAULT_MAX_KEYS} keys, monotonic clock. */
  public GcraLocalRateLimiter() {
    this(() -> System.nanoTime() / 1_000, DEFAULT_MAX_KEYS);
  }

  /**
   * @param clockMicros current time in microseconds, non-decreasing
   * @param maxKeys     most keys held, at least 1
   */
  public GcraLocalRateLimiter(LongSupplier clockMicros, int maxKeys) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be at least 1, got " + maxKeys);
    }
    this.clockMicros = clockMicros;
    this.maxKeys = maxKeys;
  }

  @Override
  public Future<Decision> acquire(List<RateLimit> limits) {
    try {
      return Future.succeededFuture(decide(limits));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
  }

  /** {@link #acquire} without the future, for callers that are not on Vert.x. */
  public synchronized Decision decide(List<RateLimit> limits) {
    Gcra.validate(limits);
    long now = clockMicros.getAsLong();
    List<Gcra.Verdict> verdicts = new ArrayList<>(limits.size());
    for (RateLimit limit : limits) {
      verdicts.add(Gcra.evaluate(tats.get(limit.key()), now, limit));
    }
    if (Gcra.allowed(limits, verdicts)) {
      for (int i = 0; i < limits.size(); i++) {
        if (verdicts.get(i).allowed()) {
          tats.put(limits.get(i).key(), verdicts.get(i).newTat());
        }
      }
    }
    sweep(now);
    return Gcra.decide(limits, verdicts);
  }

  /** Keys currently held. */
  public synchronized int size() {
    return tats.size();
  }

  private void sweep(long now) {
    Iterator<Map.Entry<String, Long>> eldest = tats.entrySet().iterator();
    for (int i = 0; i < SWEEP_PER_CALL && eldest.hasNext(); i++) {
      if (eldest.next().getValue() > now) {
        break;
      }
      eldest.remove();
    }
    while (tats.size() > maxKeys) {
      eldest = tats.entrySet().iterator();
      eldest.next();
      eldest.remove();
    }
  }
}
