package io.tollgate.config;

import java.time.Duration;

/**
 * Graceful shutdown on SIGTERM ({@code shutdown:} in YAML).
 *
 * <p>Sequence: {@code /readyz} turns 503 at once; after {@code readinessGrace} (time for load balancers to
 * notice) the listeners stop accepting; in-flight requests get up to {@code drainTimeout} to finish; then the
 * process exits.
 *
 * @param readinessGrace default {@code 0s}; set a few seconds behind a load balancer that polls {@code /readyz}
 * @param drainTimeout   default {@code 30s}
 */
public record ShutdownConfig(Duration readinessGrace, Duration drainTimeout) {

  /** All defaults: what an absent {@code shutdown:} section means. */
  public static final ShutdownConfig DEFAULT = new ShutdownConfig(Duration.ZERO, Duration.ofSeconds(30));
}
