package io.tollgate.config;

import java.time.Duration;

/**
 * Passive outlier detection of a service ({@code services.<name>.outlierDetection}): targets that keep failing are
 * taken out of the rotation for a while.
 *
 * @param consecutiveFailures failures in a row that eject a target; a failure is a connect failure (refused or
 *                            timed out), a reset or close before the response head, a response timeout or a 5xx
 *                            status; any other response resets the count. Default {@code 5}; {@code 0} disables
 *                            ejection
 * @param baseEjectionTime    how long the first ejection lasts; the n-th lasts {@code n × baseEjectionTime}.
 *                            Default {@code 30s}
 * @param maxEjectionTime     cap of one ejection's length. Default {@code 300s}
 * @param maxEjectionPercent  at most this share of the service's targets (rounded down) is ejected at once, and
 *                            never all of them: one target always stays. Default {@code 50}
 */
public record OutlierDetectionConfig(
    int consecutiveFailures, Duration baseEjectionTime, Duration maxEjectionTime, int maxEjectionPercent) {

  public static final OutlierDetectionConfig DEFAULT =
      new OutlierDetectionConfig(5, Duration.ofSeconds(30), Duration.ofSeconds(300), 50);

  public boolean enabled() {
    return consecutiveFailures > 0;
  }
}
