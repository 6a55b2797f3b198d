package io.tollgate.config;

import java.time.Duration;

/**
 * A circuit breaker per target of a service ({@code services.<name>.circuitBreaker}); off unless configured.
 *
 * <p>Closed, it keeps the outcomes of the target's last {@code window} calls (or of the last
 * {@code windowDuration}); once at least {@code minimumCalls} of
 * them are known and the failure rate or the slow-call rate reaches its threshold, it opens: the target gets no
 * requests for {@code openDuration}. Then it is half-open: {@code halfOpenCalls} trial requests go through; if all
 * succeed (and are not slow) it closes with an empty window, if one fails or is slow it opens again.
 *
 * @param failureRateThreshold  percent of failed calls in the window that opens the circuit; a failure is what
 *                              outlier detection counts (connect failure, reset before the response, response
 *                              timeout, 5xx, a response that dies mid-body). Default {@code 50}; 1–100
 * @param slowCallRateThreshold percent of slow calls in the window that opens the circuit. Default {@code 100}; 1–100
 * @param slowCallDuration      a call whose response head takes longer than this is slow. Default {@code 5s}
 * @param window                how many of the most recent calls are judged. Default {@code 20}; 1–1000
 * @param minimumCalls          calls the window must hold before it can open the circuit. Default {@code 10};
 *                              1–{@code window}
 * @param openDuration          how long an open circuit refuses calls before it lets trial calls through.
 *                              Default {@code 10s}
 * @param halfOpenCalls         trial calls in the half-open state; all must succeed to close. Default {@code 3};
 *                              1–100
 * @param windowDuration        when set, the window is time based instead: the calls of the last this-many whole
 *                              seconds (1–60 s); {@code window} is then unused. Default null (count based)
 */
public record CircuitBreakerConfig(
    int failureRateThreshold, int slowCallRateThreshold, Duration slowCallDuration, int window, int minimumCalls,
    Duration openDuration, int halfOpenCalls, Duration windowDuration) {

  public static final CircuitBreakerConfig DEFAULT =
      new CircuitBreakerConfig(50, 100, Duration.ofSeconds(5), 20, 10, Duration.ofSeconds(10), 3);

  /** A breaker with a count-based window. */
  public CircuitBreakerConfig(int failureRateThreshold, int slowCallRateThreshold, Duration slowCallDuration,
      int window, int minimumCalls, Duration openDuration, int halfOpenCalls) {
    this(failureRateThreshold, slowCallRateThreshold, slowCallDuration, window, minimumCalls, openDuration,
        halfOpenCalls, null);
  }

  /** True when the window is the last {@code windowDuration} seconds rather than the last {@code window} calls. */
  public boolean timeBased() {
    return windowDuration != null;
  }
}
