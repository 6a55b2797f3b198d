package io.tollgate.ratelimit;

import java.time.Duration;

/**
 * The limiter could not decide: its store did not answer within the budget, the connection failed, or the
 * store answered with an error. The caller applies the limit's declared failure mode (fail-open, fail-closed
 * or local); the request may or may not have been counted by the store.
 */
public final class RateLimiterUnavailable extends RuntimeException {

  public RateLimiterUnavailable(String message, Throwable cause) {
    super(message, cause);
  }

  public RateLimiterUnavailable(String message) {
    super(message);
  }

  static RateLimiterUnavailable overBudget(Duration budget) {
    return new RateLimiterUnavailable("Redis did not answer within the rate-limit budget of "
        + budget.toMillis() + " ms");
  }
}
