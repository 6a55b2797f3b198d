package io.tollgate.config;

import java.time.Duration;
import java.util.Set;

/**
 * When a failed upstream attempt is tried again ({@code retry:} on a service, as the default of its routes, or on a
 * route, replacing the service's as a whole). Retries are off unless configured.
 *
 * <p>Whatever is configured, a retry only happens for an idempotent method (GET, HEAD, OPTIONS, PUT, DELETE, TRACE)
 * unless the route says {@code retryNonIdempotent: true}; only while the request body has not started to stream
 * upstream (a streamed body cannot be replayed, so a request with a body is retried after a connect failure only);
 * only within the route's {@code timeouts.total}; and only while the service's retry budget allows.
 *
 * @param attempts          tries in all, the first included: {@code 1} means no retries. Default {@code 3}; 1–10
 * @param onConnectFailure  retry when no connection could be made (refused, unreachable, connect timeout): the
 *                          upstream never saw the request. {@code connect-failure} in {@code on}
 * @param onReset           retry when the connection was reset or closed before the response head. {@code reset}
 * @param statuses          response statuses that are retried (the response is discarded), 400–599
 * @param backoffBase       first retry waits a random time in [0, base] (full jitter); the n-th in
 *                          [0, min(max, base × 2^(n-1))]. Default {@code 25ms}
 * @param backoffMax        cap of the jittered back-off. Default {@code 250ms}
 * @param retryAfterMax     an upstream {@code Retry-After} up to this long is waited for (instead of the back-off,
 *                          when longer); a longer one is not retried — its response goes to the client. Default
 *                          {@code 1s}
 * @param budgetPercent     retries over the last 10 s may be at most this share of the requests in that window
 *                          (plus the minimum). Default {@code 20}; 0–100
 * @param budgetMinPerSecond retries always allowed regardless of traffic, per second of the window (so a quiet
 *                          service can still retry). Default {@code 10}; 0–10000
 * @param replayBufferSize  a request body with a {@code Content-Length} up to this many bytes is also kept in memory
 *                          while it streams, so it can be sent again after a reset or a retried status. Default
 *                          {@code 0} (bodies are never kept); at most 1 MiB
 */
public record RetryConfig(
    int attempts, boolean onConnectFailure, boolean onReset, Set<Integer> statuses,
    Duration backoffBase, Duration backoffMax, Duration retryAfterMax,
    int budgetPercent, int budgetMinPerSecond, long replayBufferSize) {

  public static final int DEFAULT_ATTEMPTS = 3;
  public static final Set<Integer> DEFAULT_STATUSES = Set.of(502, 503, 504);
  public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(25);
  public static final Duration DEFAULT_BACKOFF_MAX = Duration.ofMillis(250);
  public static final Duration DEFAULT_RETRY_AFTER_MAX = Duration.ofSeconds(1);
  public static final int DEFAULT_BUDGET_PERCENT = 20;
  public static final int DEFAULT_BUDGET_MIN_PER_SECOND = 10;

  /** No retries: what a service without {@code retry:} gets. */
  public static final RetryConfig NONE = new RetryConfig(1, false, false, Set.of(), DEFAULT_BACKOFF_BASE,
      DEFAULT_BACKOFF_MAX, DEFAULT_RETRY_AFTER_MAX, DEFAULT_BUDGET_PERCENT, DEFAULT_BUDGET_MIN_PER_SECOND);

  /** Largest {@code replayBufferSize}: replay is for small bodies (JSON documents), not uploads. */
  public static final long MAX_REPLAY_BUFFER = 1 << 20;

  public RetryConfig {
    statuses = Set.copyOf(statuses);
  }

  /** Rules that never keep a body for replay. */
  public RetryConfig(int attempts, boolean onConnectFailure, boolean onReset, Set<Integer> statuses,
      Duration backoffBase, Duration backoffMax, Duration retryAfterMax, int budgetPercent, int budgetMinPerSecond) {
    this(attempts, onConnectFailure, onReset, statuses, backoffBase, backoffMax, retryAfterMax, budgetPercent,
        budgetMinPerSecond, 0);
  }

  /** True when a second attempt can ever happen. */
  public boolean enabled() {
    return attempts > 1 && (onConnectFailure || onReset || !statuses.isEmpty());
  }
}
