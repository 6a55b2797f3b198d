package io.tollgate.upstream;

import io.tollgate.config.DiscoveryConfig;
import io.tollgate.config.DnsDiscoveryConfig;
import java.time.Duration;
import io.tollgate.config.TargetConfig;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The node-wide published target set of one discovered service (DNS or Kubernetes EndpointSlices): written by the
 * upstreams control verticle after each lookup or watch event, read lock-free by the {@link ServiceTargets} of every snapshot and event loop (one volatile read per
 * pick; a new list only when the answer changed). Lives in {@link UpstreamHealth}, so the last good set survives
 * config reloads that keep the service's {@code discovery} unchanged.
 *
 * <p>The list is sorted by address, so an answer in another order is no change. It is null until the first lookup
 * that returned at least one address; a failed or empty lookup never replaces it (it only updates the status).
 */
public final class DiscoveredTargets {

  /** Outcomes of a lookup, the {@code outcome} label of {@code tollgate_upstream_dns_resolutions_total}. */
  public enum Outcome {
    /** The answer differs from the published set: it was replaced. */
    CHANGED,
    /** The same addresses as the published set. */
    UNCHANGED,
    /** No A or AAAA record: the last good set stays. */
    EMPTY,
    /** Timeout, server failure, NXDOMAIN, no server reachable: the last good set stays. */
    FAILED;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final String service;
  private final DiscoveryConfig config;
  private final AtomicReference<List<TargetConfig>> targets = new AtomicReference<>();
  private volatile Outcome lastOutcome;
  private volatile String lastError;
  private volatile Instant lastLookup;
  private volatile Instant lastChange;
  private volatile int failuresInARow;
  private volatile Instant nextLookup;
  private final KubernetesWatchState watch;

  DiscoveredTargets(String service, DiscoveryConfig config) {
    this.service = service;
    this.config = config;
    this.watch = config instanceof io.tollgate.config.KubernetesDiscoveryConfig ? new KubernetesWatchState() : null;
  }

  /** The list/watch state of a Kubernetes-discovered service; null for DNS. */
  public KubernetesWatchState watch() {
    return watch;
  }

  public String service() {
    return service;
  }

  public DiscoveryConfig config() {
    return config;
  }

  /** The published targets; null before the first good answer. */
  public List<TargetConfig> targets() {
    return targets.get();
  }

  /** The reference {@link ServiceTargets} reads (identity changes only when the set does). */
  AtomicReference<List<TargetConfig>> published() {
    return targets;
  }

  /**
   * Records a lookup's answer ({@code sorted}, deduplicated): publishes it when it is non-empty and differs.
   * Called by one thread at a time (the upstreams verticle's event loop).
   */
  public Outcome answered(List<TargetConfig> sorted, Instant now) {
    return answered(sorted, now, true);
  }

  /**
   * Records the authoritative target set of a watched service (Kubernetes): published even when empty (a Service
   * scaled to zero, or with no ready endpoint, has no target): {@link Outcome#CHANGED} with {@link #lastError()} saying
   * so when it became empty, {@link Outcome#EMPTY} while it stays empty.
   */
  public Outcome replaced(List<TargetConfig> sorted, Instant now) {
    return answered(sorted, now, false);
  }

  private Outcome answered(List<TargetConfig> sorted, Instant now, boolean keepOnEmpty) {
    lastLookup = now;
    if (sorted.isEmpty() && (keepOnEmpty || sorted.equals(targets.get()))) {
      return done(Outcome.EMPTY, config instanceof DnsDiscoveryConfig dns ? "no A or AAAA record for " + dns.name()
          : "no ready endpoint for " + config.describe());
    }
    if (sorted.isEmpty()) {
      targets.set(List.of());
      lastChange = now;
      return done(Outcome.CHANGED, "no ready endpoint for " + config.describe());
    }
    failuresInARow = 0;
    lastError = null;
    if (sorted.equals(targets.get())) {
      return done(Outcome.UNCHANGED, null);
    }
    targets.set(List.copyOf(sorted));
    lastChange = now;
    return done(Outcome.CHANGED, null);
  }

  /** Records a failed lookup: the published set stays. */
  public Outcome failed(String why, Instant now) {
    lastLookup = now;
    return done(Outcome.FAILED, why);
  }

  private Outcome done(Outcome outcome, String error) {
    if (error != null) {
      failuresInARow++;
      lastError = error;
    }
    lastOutcome = outcome;
    return outcome;
  }

  /** The last lookup's outcome; null before the first. */
  public Outcome lastOutcome() {
    return lastOutcome;
  }

  /** Why the last lookups failed or were empty; null after a good answer. */
  public String lastError() {
    return lastError;
  }

  /** Failed or empty lookups since the last good answer. */
  public int failuresInARow() {
    return failuresInARow;
  }

  public Instant lastLookup() {
    return lastLookup;
  }

  /** Records when the next lookup is due (DNS: after the answer's TTL or the failure back-off). */
  void scheduled(Duration in) {
    Instant last = lastLookup;
    nextLookup = (last == null ? Instant.now() : last).plus(in);
  }

  /** When the next lookup is due; null when not scheduled (before the first, or a watch that needs none). */
  public Instant nextLookup() {
    return nextLookup;
  }

  /** When the published set last changed; null before the first good answer. */
  public Instant lastChange() {
    return lastChange;
  }
}
