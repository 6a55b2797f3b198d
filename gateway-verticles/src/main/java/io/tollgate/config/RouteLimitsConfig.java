package io.tollgate.config;

import java.time.Duration;
import java.util.List;

/**
 * A route's rate limits ({@code routes[i].rateLimit}): a policy name or an inline list.
 *
 * @param policy the shared policy's name; {@code null} for an inline list (counters private to the route)
 * @param limits the limits, at least one
 */
public record RouteLimitsConfig(String policy, List<LimitConfig> limits) {

  public RouteLimitsConfig {
    limits = List.copyOf(limits);
  }

  /**
   * A route's concurrency cap ({@code routes[i].concurrency}): at most {@code max} requests of this route in flight
   * on one node (from admission until the response ended or the client left); up to {@code queue} more wait up to
   * {@code maxWait} for a slot; beyond that, 503 with {@code Retry-After}.
   *
   * @param max     in-flight requests per node, at least 1
   * @param queue   waiting requests per node; default {@code 0} (no waiting)
   * @param maxWait longest wait in the queue; default {@code 1s}
   */
  public record Concurrency(int max, int queue, Duration maxWait) {
  }
}
