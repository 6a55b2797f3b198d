package io.tollgate.upstream;

import io.tollgate.config.RetryConfig;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A route's retry rules compiled for one config snapshot, with the route's {@link RetryBudget}. Immutable apart from
 * the budget; shared by every event loop. Per request it hands out {@link Attempts}, or nothing when the request
 * can never be retried (retries off, or a method that is not idempotent on a route that did not opt in) — so
 * requests that are never retried allocate nothing and do not count toward the budget.
 *
 * <p>The order of the checks for a failed attempt: attempts left → the failure is one the route retries → the
 * request can be replayed → an upstream {@code Retry-After} is within {@code retryAfterMax} → the back-off ends
 * before the total deadline → the budget has a retry left. The budget is asked last, so it is only spent on
 * retries that happen.
 */
public final class RetryPolicy {

  /** What ended an attempt. */
  public enum Failure {
    /** No connection (refused, unreachable, connect timeout): the upstream never saw the request. */
    CONNECT,
    /** The connection was reset or closed before the response head. */
    RESET,
    /** A response head with a status the route retries. */
    STATUS
  }

  /** Methods that may be retried without an opt-in (RFC 9110 §9.2.2). */
  private static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
      HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.TRACE);

  /** Retries counted per service: {@value}{@code .<service>}. */
  public static final String RETRIES = "upstream.retries";
  /** Retries refused by the budget, per service: {@value}{@code .<service>}. */
  public static final String BUDGET_EXHAUSTED = "upstream.retry_budget_exhausted";

  private final RetryConfig config;
  private final boolean nonIdempotent;
  private final long totalNanos;
  private final Backoff backoff;
  private final long retryAfterMaxMillis;
  private final RetryBudget budget;
  private final ServiceTargets targets;
  private final String retriesCounter;
  private final String exhaustedCounter;

  private RetryPolicy(RetryConfig config, boolean nonIdempotent, Duration total, ServiceTargets targets,
      String routeId) {
    this.config = config;
    this.nonIdempotent = nonIdempotent;
    this.totalNanos = total.toNanos();
    this.backoff = Backoff.of(config.backoffBase(), config.backoffMax());
    this.retryAfterMaxMillis = config.retryAfterMax().toMillis();
    this.targets = targets;
    this.budget = new RetryBudget(config.budgetPercent(), config.budgetMinPerSecond(), targets.node()::now);
    this.retriesCounter = RETRIES + "." + targets.service();
    this.exhaustedCounter = BUDGET_EXHAUSTED + "." + targets.service();
    if (config.enabled()) {
      targets.node().registerBudget(routeId, targets.service(), budget);
    }
  }

  /**
   * @param config        the route's retry rules (or its service's)
   * @param nonIdempotent whether the route opted in to retrying POST, PATCH and other non-idempotent methods
   * @param total         the route's total deadline over all attempts
   * @param routeId       the route's id: its budget is shown on the management {@code /status} under it
   */
  public static RetryPolicy compile(RetryConfig config, boolean nonIdempotent, Duration total,
      ServiceTargets targets, String routeId) {
    return new RetryPolicy(config, nonIdempotent, total, targets, routeId);
  }

  /** As {@link #compile(RetryConfig, boolean, Duration, ServiceTargets, String)} for a route without an id (tests). */
  public static RetryPolicy compile(RetryConfig config, boolean nonIdempotent, Duration total,
      ServiceTargets targets) {
    return compile(config, nonIdempotent, total, targets, "-");
  }

  public RetryConfig config() {
    return config;
  }

  /**
   * Starts the attempts of one request and counts it toward the budget; null when the request is never retried.
   *
   * @param bodiless      true when the request has no body (so it can be replayed after it was sent)
   * @param contentLength the request's {@code Content-Length}, -1 when unsized: a sized body up to
   *                      {@code replayBufferSize} is kept for replay
   */
  public Attempts begin(HttpMethod method, boolean bodiless, long contentLength) {
    if (!config.enabled() || !(nonIdempotent || IDEMPOTENT.contains(method))) {
      return null;
    }
    budget.recordRequest();
    long keep = contentLength > 0 && contentLength <= config.replayBufferSize() ? contentLength : 0;
    return new Attempts(this, targets, targets.node().now() + totalNanos, bodiless, (int) keep);
  }

  /** As {@link #begin(HttpMethod, boolean, long)} for a request whose body is never kept. */
  public Attempts begin(HttpMethod method, boolean bodiless) {
    return begin(method, bodiless, -1);
  }

  /** True when {@code status} is one the route retries (the response is then held back, not streamed). */
  public boolean retriesStatus(int status) {
    return config.statuses().contains(status);
  }

  /**
   * The wait before the next attempt in nanoseconds, or -1 when there is none; a positive answer has taken a retry
   * from the budget.
   *
   * @param retryAfter the failed response's {@code Retry-After}, or null
   */
  long nextDelayNanos(Attempts attempts, Failure failure, String retryAfter, boolean replayable) {
    if (attempts.count() >= config.attempts() || !retries(failure) || !replayable) {
      return -1;
    }
    long delay = backoff.delayNanos(attempts.count(), ThreadLocalRandom.current().nextDouble());
    long askedMillis = RetryAfter.millis(retryAfter, Instant.now());
    if (askedMillis > retryAfterMaxMillis) {
      return -1; // the upstream asks for longer than the route waits: its answer goes to the client
    }
    if (askedMillis >= 0) {
      delay = Math.max(delay, askedMillis * 1_000_000);
    }
    if (targets.node().now() + delay - attempts.deadlineNanos() >= 0) {
      return -1;
    }
    if (!budget.tryRetry()) {
      targets.node().count(exhaustedCounter);
      return -1;
    }
    targets.node().count(retriesCounter);
    return delay;
  }

  private boolean retries(Failure failure) {
    return switch (failure) {
      case CONNECT -> config.onConnectFailure();
      case RESET -> config.onReset();
      case STATUS -> true; // the caller asked retriesStatus() first
    };
  }
}
