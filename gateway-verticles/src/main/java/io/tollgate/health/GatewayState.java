package io.tollgate.health;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Process-wide facts shared by all verticles: identity, start time, readiness checks and whether the gateway is
 * draining. One instance per gateway, passed to verticles at deployment (no statics). Thread-safe.
 *
 * <p>Readiness = no failing check and not draining. Features register a named check as failing until they are
 * ready ({@code config} until a snapshot is live; later {@code ownership-replica} until Kafka caught up once).
 */
public final class GatewayState {

  private final String instanceId = UUID.randomUUID().toString();
  private final Instant startedAt = Instant.now();
  private final long startedNanos = System.nanoTime();
  private final String version;
  private final Map<String, String> failingChecks = new ConcurrentHashMap<>();
  private final io.tollgate.observability.Counters counters = new io.tollgate.observability.Counters();
  private final io.tollgate.ratelimit.RateLimitNode rateLimits = new io.tollgate.ratelimit.RateLimitNode();
  private final io.tollgate.concurrency.Bulkheads bulkheads = new io.tollgate.concurrency.Bulkheads();
  private final io.tollgate.ownership.OwnershipState ownership = new io.tollgate.ownership.OwnershipState();
  private final io.tollgate.upstream.UpstreamHealth upstreams = new io.tollgate.upstream.UpstreamHealth(counters);
  private final io.tollgate.sync.ControlPlaneState controlPlane = new io.tollgate.sync.ControlPlaneState();
  private final io.tollgate.observability.GatewayMetrics metrics;
  private final io.tollgate.observability.Tracing tracing;
  private final io.tollgate.websocket.WebSocketNode webSockets;
  private volatile boolean draining;
  private volatile long configVersion = -1;

  /** A state with a registry of its own (tests that run verticles without {@code Gateway}). */
  public GatewayState(String version) {
    this(version, new io.tollgate.observability.GatewayMetrics());
  }

  /** @param metrics the registry of this gateway's Vert.x instance */
  public GatewayState(String version, io.tollgate.observability.GatewayMetrics metrics) {
    this(version, metrics, null);
  }

  /**
   * @param metrics the registry of this gateway's Vert.x instance
   * @param tracing the gateway's tracing, or null when it is off
   */
  public GatewayState(String version, io.tollgate.observability.GatewayMetrics metrics,
      io.tollgate.observability.Tracing tracing) {
    this.version = version;
    this.metrics = metrics;
    this.tracing = tracing;
    this.webSockets = new io.tollgate.websocket.WebSocketNode(metrics.registry());
    failingChecks.put("config", "no configuration loaded yet");
  }

  /** The gateway's tracing, or null when {@code tracing.enabled} is false. */
  public io.tollgate.observability.Tracing tracing() {
    return tracing;
  }

  /** The gateway's metrics registry and request meters. */
  public io.tollgate.observability.GatewayMetrics metrics() {
    return metrics;
  }

  /** Where the node's config stands with the control plane (when it has one). */
  public io.tollgate.sync.ControlPlaneState controlPlane() {
    return controlPlane;
  }

  /** The node's WebSocket connection counts and meters. */
  public io.tollgate.websocket.WebSocketNode webSockets() {
    return webSockets;
  }

  /** Event counters shared by every verticle of this gateway. */
  public io.tollgate.observability.Counters counters() {
    return counters;
  }

  /** The node's rate-limiting state (in-process limiter, Redis health). */
  public io.tollgate.ratelimit.RateLimitNode rateLimits() {
    return rateLimits;
  }

  /** The node's ownership replica and its freshness. */
  public io.tollgate.ownership.OwnershipState ownership() {
    return ownership;
  }

  /** The node's upstream addresses: requests in flight and ejections (survive reloads). */
  public io.tollgate.upstream.UpstreamHealth upstreams() {
    return upstreams;
  }

  /** The node's concurrency caps by route. */
  public io.tollgate.concurrency.Bulkheads bulkheads() {
    return bulkheads;
  }

  public String instanceId() {
    return instanceId;
  }

  public String version() {
    return version;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public long uptimeMillis() {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /** Marks a readiness check failing with a human reason (shown by {@code /readyz}). */
  public void notReady(String check, String reason) {
    failingChecks.put(check, reason);
  }

  public void ready(String check) {
    failingChecks.remove(check);
  }

  /** Failing checks by name; empty when ready (unless draining). */
  public Map<String, String> failingChecks() {
    return Map.copyOf(failingChecks);
  }

  public boolean isReady() {
    return !draining && failingChecks.isEmpty();
  }

  public boolean isDraining() {
    return draining;
  }

  public void startDraining() {
    this.draining = true;
  }

  public long configVersion() {
    return configVersion;
  }

  public void configApplied(long version) {
    this.configVersion = version;
    ready("config");
  }
}
