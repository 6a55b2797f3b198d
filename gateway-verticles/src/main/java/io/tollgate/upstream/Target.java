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
  private final CircuitBreaker breaker;
  /** Hash of the address, for {@link Rendezvous}: the same on every node and across reloads. */
  private final long addressHash;

  Target(TargetConfig config, TargetHealth health, ServiceTargets service, int index, CircuitBreaker breaker) {
    this.config = config;
    this.health = health;
    this.service = service;
    this.bit = index < Long.SIZE ? 1L << index : 0;
    this.breaker = breaker;
    this.addressHash = Rendezvous.hash(health.address());
  }

  long addressHash() {
    return addressHash;
  }

  /** The target's circuit breaker in its service; null when the service has none. */
  public CircuitBreaker breaker() {
    return breaker;
  }

  /** Not ejected, not failing active health checks, and its circuit (if any) could admit a call: the balancers' view. */
  boolean isAvailable(long nowNanos) {
    return !health.isEjected(nowNanos) && !health.isUnhealthy() && (breaker == null || breaker.isAvailable());
  }

  /** Takes the circuit breaker's permission for one call; true when there is no breaker. */
  boolean admits() {
    return breaker == null || breaker.tryAcquire();
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

  /**
   * The target answered with a non-5xx status, whole: its failure streak ends.
   *
   * @param headNanos time from sending the request to the response head (judged against the slow-call duration)
   */
  public void succeeded(long headNanos) {
    health.succeeded();
    if (breaker != null) {
      breaker.record(false, headNanos);
    }
  }

  /** Connect failure, reset before the response, response timeout or 5xx: may eject the target or open its circuit. */
  public void failed() {
    service.failed(this);
    if (breaker != null) {
      breaker.record(true, -1);
    }
  }
}
