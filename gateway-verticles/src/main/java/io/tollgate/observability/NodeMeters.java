package io.tollgate.observability;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tollgate.concurrency.Bulkhead;
import io.tollgate.config.ServiceConfig;
import io.tollgate.config.TargetConfig;
import io.tollgate.upstream.CircuitBreaker;
import io.tollgate.upstream.DiscoveredTargets;
import io.tollgate.upstream.TargetDiscovery;
import io.tollgate.upstream.RetryPolicy;
import io.tollgate.upstream.TargetHealth;
import io.tollgate.upstream.UpstreamHealth;
import io.tollgate.concurrency.Bulkheads;
import io.tollgate.health.GatewayState;
import io.tollgate.ownership.OwnershipState;
import io.tollgate.sync.ConfigSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus views over state the gateway already keeps, read when scraped — nothing on the request path:
 * {@link Counters} stay the one place that counts (rate-limit outcomes, auth rejections), and gauges read the rate
 * limiter's backend state, the ownership replica, the config version and the bulkheads.
 *
 * <p>{@link #refresh} runs before every scrape and registers what appeared since the last one (a new auth
 * rejection reason, a route that got a concurrency cap, an ownership source, a service, a service's first ejection)
 * and removes the bulkhead gauges of routes that lost their cap and the target gauges of removed services. Label values come from code (counter names) or config (route ids), never from
 * requests. Refreshes are serialised.
 */
public final class NodeMeters {

  /** {@code ratelimit.*} counter → {@code outcome} label of {@code tollgate_ratelimit_decisions_total}. */
  static final Map<String, String> RATE_LIMIT_OUTCOMES = Map.of(
      "ratelimit.denied", "denied",
      "ratelimit.shadow_denied", "shadow_denied",
      "ratelimit.fail_open", "fail_open",
      "ratelimit.fail_closed", "fail_closed",
      "ratelimit.local_fallback", "local_fallback",
      "ratelimit.redis.unavailable", "redis_unavailable");
  static final List<String> BACKEND_STATES = List.of("redis", "degraded", "standalone");
  /** Per-service counters ({@code <prefix>.<service>}) → meter name and description; a series appears with its first count. */
  private static final Map<String, String[]> SERVICE_COUNTERS = Map.of(
      UpstreamHealth.EJECTIONS, new String[] {"tollgate.upstream.ejections",
          "Targets ejected by passive outlier detection, by service"},
      RetryPolicy.RETRIES, new String[] {"tollgate.upstream.retries",
          "Upstream attempts made as retries of a failed attempt, by service"},
      RetryPolicy.BUDGET_EXHAUSTED, new String[] {"tollgate.upstream.retry_budget_exhausted",
          "Retries refused because the route's retry budget was used up, by service"});
  static final List<String> TARGET_STATES = List.of("healthy", "ejected", "unhealthy");
  private static final String AUTH_REJECTED = "auth.rejected.";
  private static final String AUTH_FORBIDDEN = "auth.forbidden";

  private final GatewayState state;
  private final Supplier<ConfigSnapshot> snapshots;
  private final Set<String> authReasons = new HashSet<>();
  private final Map<String, List<Meter>> bulkheadMeters = new HashMap<>();
  private final Set<String> serviceCounters = new HashSet<>();
  /** Discovered-targets gauges registered, as {@code <gauge name> <service>}. */
  private final Set<String> dnsServices = new HashSet<>();
  private final Map<String, List<Meter>> targetMeters = new HashMap<>();
  private final Map<String, List<Meter>> circuitMeters = new HashMap<>();
  private boolean staticBound;
  private boolean ownershipBound;

  /** @param snapshots the config in force (thread-safe read, e.g. {@code ConfigSyncVerticle::current}) */
  public NodeMeters(GatewayState state, Supplier<ConfigSnapshot> snapshots) {
    this.state = state;
    this.snapshots = snapshots;
  }

  /** Registers what is new since the last call and drops what vanished. */
  synchronized void refresh(MeterRegistry registry) {
    if (!staticBound) {
      bindStatic(registry);
      staticBound = true;
    }
    if (!ownershipBound && state.ownership().isConfigured()) {
      bindOwnership(registry, state.ownership());
      ownershipBound = true;
    }
    refreshAuth(registry);
    refreshBulkheads(registry);
    refreshUpstreams(registry);
    refreshCircuits(registry);
  }

  /**
   * Hands the route ids and service names of the config in force to {@code retain}; nothing before the first
   * snapshot (no route has recorded yet).
   */
  void inForce(BiConsumer<Set<String>, Set<String>> retain) {
    ConfigSnapshot snapshot = snapshots.get();
    if (snapshot != null) {
      Set<String> routeIds = new HashSet<>();
      snapshot.config().routes().forEach(route -> routeIds.add(route.id()));
      retain.accept(routeIds, snapshot.config().services().keySet());
    }
  }

  private void bindStatic(MeterRegistry registry) {
    Counters counters = state.counters();
    RATE_LIMIT_OUTCOMES.forEach((name, outcome) -> FunctionCounter
        .builder("tollgate.ratelimit.decisions", counters, c -> c.get(name))
        .description("Rate-limit decisions other than a plain admit, by outcome")
        .tag("outcome", outcome)
        .register(registry));
    FunctionCounter.builder("tollgate.ratelimit.redis.down", counters, c -> c.get("ratelimit.redis.down"))
        .description("Times an event loop marked Redis down for rate limiting")
        .register(registry);
    for (String backend : BACKEND_STATES) {
      gauge("tollgate.ratelimit.backend.state", "1 for the rate limiter's current backend state",
          s -> backend.equals(backendState()) ? 1 : 0).tag("state", backend).register(registry);
    }
    gauge("tollgate.config.version", "Version of the config in force", s -> s.configVersion())
        .register(registry);
    bindControlPlane(registry, state.controlPlane());
  }

  /** Control-plane meters: NaN (or 0) in file mode, where they have nothing to say. */
  private void bindControlPlane(MeterRegistry registry, io.tollgate.sync.ControlPlaneState cp) {
    gauge("tollgate.config.store.version", "Global config version (of the control plane) this node serves; NaN"
        + " before the first", s -> cp.appliedVersion() < 0 ? Double.NaN : cp.appliedVersion()).register(registry);
    gauge("tollgate.config.applied.age", "Time since the served control-plane config was applied; NaN before the"
        + " first", s -> cp.appliedAgeSeconds() < 0 ? Double.NaN : cp.appliedAgeSeconds()).baseUnit("seconds")
        .register(registry);
    gauge("tollgate.config.last_known_good", "1 while the node serves its last-known-good file (control plane not"
        + " reached since start)", s -> cp.source() == io.tollgate.sync.ControlPlaneState.Source.LAST_KNOWN_GOOD
        ? 1 : 0).register(registry);
    FunctionCounter.builder("tollgate.config.rejected", cp, c -> c.rejectedChanges())
        .description("Config changes refused by this node (invalid, or undecodable records on the config topic)")
        .register(registry);
    FunctionCounter.builder("tollgate.config.resyncs", cp, c -> c.resyncs())
        .description("Full re-syncs from the config store (start, gaps, undecodable records, drift)")
        .register(registry);
    gauge("tollgate.config.outbox.pending", "Config changes in the outbox not yet on the topic (reported by the"
        + " relaying node; 0 elsewhere)", s -> cp.relayLeader() ? cp.relayPending() : 0).register(registry);
  }

  private String backendState() {
    ConfigSnapshot snapshot = snapshots.get();
    return snapshot == null ? null : state.rateLimits().backendState(snapshot.config().rateLimiting());
  }

  private void bindOwnership(MeterRegistry registry, OwnershipState ownership) {
    gauge("tollgate.ownership.replica.records", "Keys held by the ownership replica",
        s -> ownership.replica().size()).register(registry);
    gauge("tollgate.ownership.replica.lag.records",
        "Records not yet applied at the last check; NaN before the first", s -> orNaN(ownership.lag()))
        .register(registry);
    gauge("tollgate.ownership.replica.staleness",
        "Time since the broker last confirmed the end of the topic; NaN before it ever did", s -> {
          Duration staleness = ownership.staleness();
          return staleness == null ? Double.NaN : staleness.toNanos() / 1e9;
        }).baseUnit("seconds").register(registry);
    gauge("tollgate.ownership.replica.caught_up", "1 once the replica has caught up with the topic",
        s -> ownership.caughtUp() ? 1 : 0).register(registry);
  }

  private void refreshAuth(MeterRegistry registry) {
    Counters counters = state.counters();
    for (String name : counters.snapshot().keySet()) {
      String reason = name.startsWith(AUTH_REJECTED) ? name.substring(AUTH_REJECTED.length())
          : name.equals(AUTH_FORBIDDEN) ? "forbidden" : null;
      if (reason != null && authReasons.add(reason)) {
        FunctionCounter.builder("tollgate.auth.rejections", counters, c -> c.get(name))
            .description("Authentication and authorization rejections, by reason")
            .tag("reason", reason)
            .register(registry);
      }
    }
  }

  private void refreshUpstreams(MeterRegistry registry) {
    Counters counters = state.counters();
    for (String name : counters.snapshot().keySet()) {
      for (Map.Entry<String, String[]> family : SERVICE_COUNTERS.entrySet()) {
        String prefix = family.getKey() + ".";
        if (name.startsWith(prefix) && serviceCounters.add(name)) {
          FunctionCounter.builder(family.getValue()[0], counters, c -> c.get(name))
              .description(family.getValue()[1])
              .tag("service", name.substring(prefix.length()))
              .register(registry);
        }
      }
    }
    refreshDiscovery(registry, counters);
    ConfigSnapshot snapshot = snapshots.get();
    Set<String> current = snapshot == null ? Set.of() : snapshot.config().services().keySet();
    for (String service : current) {
      if (!targetMeters.containsKey(service)) {
        List<Meter> meters = new ArrayList<>(2);
        for (String targetState : TARGET_STATES) {
          meters.add(gauge("tollgate.upstream.targets", "Targets of the service by health state",
              s -> targets(service, targetState))
              .tag("service", service).tag("state", targetState).register(registry));
        }
        meters.add(gauge("tollgate.upstream.in_flight", "Requests in flight to the service's targets on this node"
            + " (each holds a pooled connection, or waits for one)", s -> pool(service, false))
            .tag("service", service).register(registry));
        meters.add(gauge("tollgate.upstream.pool.waiting", "Requests waiting for an upstream connection (pool queue"
            + " or connect in progress), summed over the service's targets", s -> pool(service, true))
            .tag("service", service).register(registry));
        targetMeters.put(service, meters);
      }
    }
    removeGone(registry, targetMeters, current);
  }

  /**
   * {@code tollgate_upstream_dns_resolutions_total{service,outcome}} and
   * {@code tollgate_upstream_kubernetes_watch_total{service,kind}} (a series appears with its first count), and
   * {@code tollgate_upstream_dns_targets{service}} / {@code tollgate_upstream_kubernetes_targets{service}} (the
   * published set's size; NaN once the service is gone).
   */
  private void refreshDiscovery(MeterRegistry registry, Counters counters) {
    refreshDiscovery(registry, counters, TargetDiscovery.DNS_RESOLUTIONS, "tollgate.upstream.dns.resolutions",
        "outcome", "DNS lookups of discovered services, by outcome (changed, unchanged, empty, failed)",
        "tollgate.upstream.dns.targets", "Targets of a DNS-discovered service (its last good answer); 0 before the"
            + " first");
    refreshDiscovery(registry, counters, TargetDiscovery.KUBERNETES, "tollgate.upstream.kubernetes.watch", "kind",
        "Kubernetes EndpointSlices list/watch activity of discovered services, by kind (list, relist, event, error)",
        "tollgate.upstream.kubernetes.targets", "Targets of a Kubernetes-discovered service (its last good set); 0"
            + " before the first list or with no ready endpoint");
  }

  private void refreshDiscovery(MeterRegistry registry, Counters counters, String counterPrefix, String counter,
      String tag, String description, String gauge, String gaugeDescription) {
    String prefix = counterPrefix + ".";
    for (String name : counters.snapshot().keySet()) {
      if (name.startsWith(prefix) && serviceCounters.add(name)) {
        String rest = name.substring(prefix.length());
        String service = rest.substring(rest.indexOf('.') + 1);
        FunctionCounter.builder(counter, counters, c -> c.get(name))
            .description(description)
            .tag("service", service)
            .tag(tag, rest.substring(0, rest.indexOf('.')))
            .register(registry);
        if (dnsServices.add(gauge + " " + service)) {
          gauge(gauge, gaugeDescription, s -> dnsTargets(service)).tag("service", service).register(registry);
        }
      }
    }
  }

  private double dnsTargets(String service) {
    DiscoveredTargets d = state.upstreams().findDiscovered(service);
    return d == null ? Double.NaN : d.targets() == null ? 0 : d.targets().size();
  }

  /**
   * {@code tollgate_circuit_breaker_state{service,target}} (0 closed, 1 half-open, 2 open) for every target of a
   * service with a circuit breaker, and {@code tollgate_circuit_breaker_transitions_total{service,to}}.
   */
  private void refreshCircuits(MeterRegistry registry) {
    Counters counters = state.counters();
    String prefix = CircuitBreaker.TRANSITIONS + ".";
    for (String name : counters.snapshot().keySet()) {
      if (name.startsWith(prefix) && serviceCounters.add(name)) {
        String rest = name.substring(prefix.length());
        FunctionCounter.builder("tollgate.circuit_breaker.transitions", counters, c -> c.get(name))
            .description("Circuit-breaker state changes, by service and new state")
            .tag("service", rest.substring(rest.indexOf('.') + 1))
            .tag("to", rest.substring(0, rest.indexOf('.')))
            .register(registry);
      }
    }
    ConfigSnapshot snapshot = snapshots.get();
    Set<String> current = new HashSet<>();
    for (ServiceConfig service : snapshot == null ? List.<ServiceConfig>of()
        : snapshot.config().services().values()) {
      if (service.circuitBreaker() == null) {
        continue;
      }
      for (TargetConfig t : state.upstreams().targetsOf(service)) {
        String key = service.name() + ' ' + t.address();
        current.add(key);
        circuitMeters.computeIfAbsent(key, k -> List.of(gauge("tollgate.circuit_breaker.state",
            "Circuit-breaker state of a target: 0 closed, 1 half-open, 2 open",
            s -> circuitState(service.name(), t.address()))
            .tag("service", service.name()).tag("target", t.address()).register(registry)));
      }
    }
    removeGone(registry, circuitMeters, current);
  }

  private double circuitState(String service, String address) {
    CircuitBreaker breaker = state.upstreams().findBreaker(service, address);
    return breaker == null ? Double.NaN : breaker.state().gauge();
  }

  /** In flight to the service's targets, or how many of those wait for a connection; NaN once it is gone. */
  private double pool(String service, boolean waiting) {
    return sumOverTargets(service, health -> health == null ? 0
        : waiting ? health.waitingForConnection() : health.inFlight());
  }

  /** Targets of {@code service} in the config in force in {@code targetState}; NaN once it is gone. */
  private double targets(String service, String targetState) {
    UpstreamHealth upstreams = state.upstreams();
    return sumOverTargets(service, health -> upstreams.state(health).equals(targetState) ? 1 : 0);
  }

  /** {@code value} of each target's node-wide state (null when never used), summed over the service's targets. */
  private double sumOverTargets(String service, java.util.function.ToIntFunction<TargetHealth> value) {
    ConfigSnapshot snapshot = snapshots.get();
    ServiceConfig config = snapshot == null ? null : snapshot.config().services().get(service);
    if (config == null) {
      return Double.NaN;
    }
    UpstreamHealth upstreams = state.upstreams();
    long total = 0;
    for (TargetConfig t : upstreams.targetsOf(config)) {
      total += value.applyAsInt(upstreams.find(t.address()));
    }
    return total;
  }

  private void refreshBulkheads(MeterRegistry registry) {
    Bulkheads bulkheads = state.bulkheads();
    Set<String> current = bulkheads.routeIds();
    for (String route : current) {
      if (!bulkheadMeters.containsKey(route)) {
        List<Meter> meters = new ArrayList<>(2);
        meters.add(Gauge.builder("tollgate.concurrency.in_flight", bulkheads, b -> slots(b.find(route), true))
            .description("Requests holding a concurrency slot of the route").tag("route", route)
            .strongReference(true).register(registry));
        meters.add(Gauge.builder("tollgate.concurrency.queued", bulkheads, b -> slots(b.find(route), false))
            .description("Requests waiting for a concurrency slot of the route").tag("route", route)
            .strongReference(true).register(registry));
        bulkheadMeters.put(route, meters);
      }
    }
    removeGone(registry, bulkheadMeters, current);
  }

  /** Unregisters the meters of keys (routes, services) no longer in {@code current}. */
  private static void removeGone(MeterRegistry registry, Map<String, List<Meter>> meters, Set<String> current) {
    meters.entrySet().removeIf(e -> {
      if (current.contains(e.getKey())) {
        return false;
      }
      e.getValue().forEach(registry::remove);
      return true;
    });
  }

  private static double slots(Bulkhead bulkhead, boolean inFlight) {
    if (bulkhead == null) {
      return Double.NaN;
    }
    return inFlight ? bulkhead.inFlight() : bulkhead.queued();
  }

  private Gauge.Builder<GatewayState> gauge(String name, String description, ToDoubleFunction<GatewayState> value) {
    return Gauge.builder(name, state, value).description(description).strongReference(true);
  }

  private static double orNaN(long value) {
    return value < 0 ? Double.NaN : value;
  }
}
