package io.tollgate.ratelimit;

import io.vertx.core.Future;
import java.util.List;

/**
 * Decides whether one request may proceed under all of its limits, atomically: either every limit consumes
 * one permit, or none does.
 *
 * <p><b>Threads.</b> Data-plane callers create one limiter per ingress instance and call it on that instance's
 * event loop; implementations never block the caller and never hop threads on the hot path. The returned future
 * completes on the caller's context (an implementation may return an already completed future).
 *
 * <p><b>Failure.</b> The future fails with {@link RateLimiterUnavailable} when the limiter cannot decide in
 * time (store away, over budget, store error): the caller applies the declared failure mode. It fails with
 * {@link IllegalArgumentException} for a request the limiter can never decide (no limits, duplicate keys,
 * keys that cannot be evaluated together). It never fails for a denial: that is a {@link Decision}.
 *
 * <p><b>Ordering.</b> Requests on one key are decided in the order the store sees them; there is no fairness
 * across callers beyond that.
 */
public interface RateLimiter {

  /**
   * Consumes one permit from every limit in {@code limits} if all of them allow it.
   *
   * @param limits one or more limits with distinct keys
   * @return the combined decision (see {@link Decision})
   */
  Future<Decision> acquire(List<RateLimit> limits);
}
