package io.tollgate.upstream;

import io.tollgate.config.TargetConfig;

/**
 * A target of a compiled service: its config, its node-wide {@link TargetHealth} and the service that judges its
 * failures. Immutable; one instance per target and snapshot, so picking allocates nothing.
 */
public final class Target {

  private final TargetConfig config;
  private final TargetHealth health;
  private final ServiceTargets service;
  private final long bit;

  Target(TargetConfig config, TargetHealth health, ServiceTargets service, int index) {
    this.config = config;
    this.health = health;
    this.service = service;
    this.bit = index < Long.SIZE ? 1L << index : 0;
  }

  /** This target's bit in a set of tried targets; 0 beyond the 64th target (never excluded from a retry). */
  long bit() {
    return bit;
  }

  public TargetConfig config() {
    return config;
  }

  public TargetHealth health() {
    return health;
  }

  /** {@code host:port} (IPv6 in brackets). */
  public String address() {
    return health.address();
  }

  /** The target answered with a non-5xx status: its failure streak ends. */
  public void succeeded() {
    health.succeeded();
  }

  /** Connect failure, reset before the response, response timeout or 5xx: may eject the target. */
  public void failed() {
    service.failed(this);
  }
}
