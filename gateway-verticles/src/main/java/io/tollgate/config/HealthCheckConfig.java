package io.tollgate.config;

import java.time.Duration;
import java.util.Set;

/**
 * Active health checks of a service's targets ({@code services.<name>.healthCheck}); off unless configured. One
 * component of the node (the upstreams control verticle) sends {@code GET <target base path><path>} to every target
 * each {@code interval}; a target failing {@code unhealthyThreshold} checks in a row is taken out of rotation until
 * it passes {@code healthyThreshold} in a row. Targets start healthy.
 *
 * @param path               request path of the check, starting with {@code /}; required
 * @param interval           time between two checks of a target. Default {@code 5s}
 * @param timeout            a check without a response head within this fails. Default {@code 1s}; ≤ interval
 * @param healthyThreshold   passed checks in a row that bring an unhealthy target back. Default {@code 2}; 1–100
 * @param unhealthyThreshold failed checks in a row that take a target out. Default {@code 3}; 1–100
 * @param expectedStatuses   statuses that pass; empty (the default) = any 2xx
 */
public record HealthCheckConfig(
    String path, Duration interval, Duration timeout, int healthyThreshold, int unhealthyThreshold,
    Set<Integer> expectedStatuses) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

  public HealthCheckConfig {
    expectedStatuses = Set.copyOf(expectedStatuses);
  }

  /** Whether a check answered with {@code status} passed. */
  public boolean passes(int status) {
    return expectedStatuses.isEmpty() ? status >= 200 && status < 300 : expectedStatuses.contains(status);
  }
}
