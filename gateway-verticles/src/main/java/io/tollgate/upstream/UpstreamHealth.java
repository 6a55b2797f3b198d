package io.tollgate.upstream;

import io.tollgate.observability.Counters;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * The node's upstream addresses ({@code host:port} → {@link TargetHealth}). Lives in {@code GatewayState}, so in-flight
 * counts and ejections survive config reloads; a snapshot that no longer names an address forgets it (requests still
 * in flight release their own instance). Thread-safe.
 *
 * <p>Ejections are rare: they are decided under one node-wide lock so the per-service cap holds across snapshots.
 */
public final class UpstreamHealth {

  /** Ejections of any service; {@value #EJECTIONS}{@code .<service>} counts per service. */
  public static final String EJECTIONS = "upstream.ejections";

  private final ConcurrentMap<String, TargetHealth> byAddress = new ConcurrentHashMap<>();
  /** Retry budgets of the routes in force, by {@code <route id> <service>} (a split route has one per service). */
  private final ConcurrentMap<String, RetryBudget> budgets = new ConcurrentHashMap<>();
  /** Circuit breakers by {@code <service> <address>}: per service, since each service has its own thresholds. */
  private final ConcurrentMap<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
  /** Published target sets of discovered services (DNS, Kubernetes), by service name. */
  private final ConcurrentMap<String, DiscoveredTargets> discovered = new ConcurrentHashMap<>();
  /** The static addresses of the config in force (last {@link #retainOnly}); discovered ones are added when pruning. */
  private volatile Set<String> configured = Set.of();
  private final LongSupplier nanoClock;
  private final Counters counters;
  private final Object ejectionLock = new Object();

  public UpstreamHealth(Counters counters) {
    this(counters, System::nanoTime);
  }

  /** @param nanoClock a {@link System#nanoTime()}-like clock (tests pass a fake one) */
  public UpstreamHealth(Counters counters, LongSupplier nanoClock) {
    this.counters = counters;
    this.nanoClock = nanoClock;
  }

  /** The address's state, created on first use. */
  public TargetHealth target(String address) {
    return byAddress.computeIfAbsent(address, TargetHealth::new);
  }

  /** The address's state, or null if no snapshot names it. */
  public TargetHealth find(String address) {
    return byAddress.get(address);
  }

  /**
   * Forgets the state of addresses that neither {@code addresses} (the static targets of the config in force) nor a
   * discovered service's published set names.
   */
  public synchronized void retainOnly(Set<String> addresses) {
    configured = Set.copyOf(addresses);
    prune();
  }

  /** Re-applies {@link #retainOnly} after a discovered set changed: addresses that left it are forgotten. */
  synchronized void prune() {
    Set<String> keep = new java.util.HashSet<>(configured);
    for (DiscoveredTargets d : discovered.values()) {
      java.util.List<io.tollgate.config.TargetConfig> list = d.targets();
      if (list != null) {
        list.forEach(t -> keep.add(t.address()));
      }
    }
    byAddress.keySet().retainAll(keep);
    breakers.keySet().removeIf(key -> !keep.contains(key.substring(key.indexOf(' ') + 1)));
  }

  /**
   * The published target set of a discovered service: kept (with its last good answer) while its config is
   * unchanged, replaced by an empty one when it changed.
   */
  public DiscoveredTargets discovered(String service, io.tollgate.config.DiscoveryConfig config) {
    return discovered.compute(service, (k, old) -> old != null && old.config().equals(config) ? old
        : new DiscoveredTargets(service, config));
  }

  /** The published target set of {@code service}; null when it is not discovered. */
  public DiscoveredTargets findDiscovered(String service) {
    return discovered.get(service);
  }

  /** Forgets the discovered sets of services no longer discovered (call before {@link #retainOnly}). */
  public void retainDiscovered(Set<String> services) {
    discovered.keySet().retainAll(services);
  }

  /**
   * The targets of {@code service} right now: its static {@code targets}, or for a discovered service the
   * published set (empty before the first good answer). For status pages, metrics and health checks.
   */
  public java.util.List<io.tollgate.config.TargetConfig> targetsOf(io.tollgate.config.ServiceConfig service) {
    if (service.discovery() == null) {
      return service.targets();
    }
    DiscoveredTargets d = discovered.get(service.name());
    java.util.List<io.tollgate.config.TargetConfig> list = d == null || !d.config().equals(service.discovery())
        ? null : d.targets();
    return list == null ? java.util.List.of() : list;
  }

  /**
   * The circuit breaker of {@code address} in {@code service}: kept across reloads while its config is unchanged,
   * replaced (closed, empty window) when it changed, dropped when {@code config} is null.
   */
  CircuitBreaker breaker(String service, String address, io.tollgate.config.CircuitBreakerConfig config) {
    String key = service + ' ' + address;
    if (config == null) {
      breakers.remove(key);
      return null;
    }
    return breakers.compute(key, (k, old) -> old != null && old.config().equals(config) ? old
        : new CircuitBreaker(service, address, config, this));
  }

  void registerBudget(String route, String service, RetryBudget budget) {
    budgets.put(route + ' ' + service, budget);
  }

  /** Drops the retry budgets of routes no longer configured. */
  public void retainBudgets(Set<String> routeIds) {
    budgets.keySet().removeIf(key -> !routeIds.contains(key.substring(0, key.indexOf(' '))));
  }

  /** The retry budgets in force by {@code <route id> <service>}, sorted (a copy, for status pages). */
  public java.util.SortedMap<String, RetryBudget> budgets() {
    return new java.util.TreeMap<>(budgets);
  }

  /** The circuit breaker of {@code address} in {@code service}, or null when the service has none. */
  public CircuitBreaker findBreaker(String service, String address) {
    return breakers.get(service + ' ' + address);
  }

  long now() {
    return nanoClock.getAsLong();
  }

  Object ejectionLock() {
    return ejectionLock;
  }

  void count(String counter) {
    counters.increment(counter);
  }

  void countEjection(String service) {
    counters.increment(EJECTIONS);
    counters.increment(EJECTIONS + "." + service);
  }

  /**
   * The address's state for status pages and metrics: {@code ejected} (passive outlier detection), else
   * {@code unhealthy} (failing active health checks), else {@code healthy}. Null-safe: an unknown address is healthy.
   */
  public String state(TargetHealth health) {
    if (health == null) {
      return "healthy";
    }
    return isEjected(health) ? "ejected" : health.isUnhealthy() ? "unhealthy" : "healthy";
  }

  /** True while {@code health} is ejected. */
  public boolean isEjected(TargetHealth health) {
    return health.isEjected(now());
  }

  /** Milliseconds until {@code health}'s ejection ends; 0 when it is not ejected. */
  public long ejectedForMillis(TargetHealth health) {
    long now = now();
    return health.isEjected(now) ? Math.max(1, (health.ejectedUntilNanos() - now) / 1_000_000) : 0;
  }
}
