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

  private static final RateLimiterUnavailable MARKED_DOWN = new RateLimiterUnavailable(
      "Redis is marked down after a failed call; retrying it shortly", true);

  private RateLimiterUnavailable(String message, boolean shared) {
    super(message, null, false, false); // shared and stackless: raised for every request during an outage
  }

  /** Redis is known to be down and this call did not try it (no allocation: one shared instance). */
  static RateLimiterUnavailable markedDown() {
    return MARKED_DOWN;
  }

  static RateLimiterUnavailable overBudget(Duration budget) {
    return new RateLimiterUnavailable("Redis did not answer within the rate-limit budget of "
        + budget.toMillis() + " ms");
  }
}
