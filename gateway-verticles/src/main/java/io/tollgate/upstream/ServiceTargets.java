package io.tollgate.upstream;

import io.tollgate.config.LoadBalancer;
import io.tollgate.config.OutlierDetectionConfig;
import io.tollgate.config.ServiceConfig;
import io.tollgate.config.TargetConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service's targets compiled for one config snapshot: picks a target per request and ejects targets that keep
 * failing (passive outlier detection). Shared by every route of the service and every event loop; lock-free when
 * picking (atomics only, no allocation), one node-wide lock when ejecting.
 *
 * <p>Ejected targets, targets failing active health checks and targets whose circuit is open are skipped by every
 * balancer. The cap {@code maxEjectionPercent} (rounded down, and never all targets) means a service always keeps at
 * least one target in rotation; if every target is out anyway (all fail their health checks — Envoy's "panic"), the
 * balancer's choice is used as if none were: the service fails open. Only open circuits can refuse every target
 * ({@link #acquire} returns null).
 */
public final class ServiceTargets {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceTargets.class);

  private final String service;
  private final LoadBalancer balancer;
  private final OutlierDetectionConfig outliers;
  private final Target[] targets;
  /** Smooth weighted round robin order (indexes into targets), one period; empty unless {@code weighted}. */
  private final int[] schedule;
  private final AtomicInteger cursor = new AtomicInteger();
  private final UpstreamHealth node;

  private ServiceTargets(ServiceConfig config, UpstreamHealth node) {
    this.service = config.name();
    this.balancer = config.loadBalancer();
    this.outliers = config.outlierDetection();
    this.node = node;
    List<TargetConfig> list = config.targets();
    this.targets = new Target[list.size()];
    for (int i = 0; i < targets.length; i++) {
      String address = list.get(i).address();
      targets[i] = new Target(list.get(i), node.target(address), this, i,
          node.breaker(service, address, config.circuitBreaker()));
    }
    this.schedule = balancer == LoadBalancer.WEIGHTED ? SmoothWeights.schedule(list) : new int[0];
    if (outliers.enabled() && targets.length > 1 && maxEjected() == 0) {
      LOG.warn("service '{}': outlierDetection.maxEjectionPercent {} % of {} targets rounds down to 0: no target"
          + " will ever be ejected", service, outliers.maxEjectionPercent(), targets.length);
    }
  }

  /** Compiles {@code config}'s targets against the node's health state. */
  public static ServiceTargets compile(ServiceConfig config, UpstreamHealth node) {
    return new ServiceTargets(config, node);
  }

  public String service() {
    return service;
  }

  public List<Target> targets() {
    return List.of(targets);
  }

  UpstreamHealth node() {
    return node;
  }

  /**
   * The target for a retry: the balancer's choice unless it is in {@code tried} (a set of {@link Target#bit()}s);
   * then, of the targets neither tried nor ejected, the one with the fewest requests in flight per unit of weight.
   * If every healthy target was tried, the balancer's choice stands.
   */
  public Target pick(long tried) {
    Target first = pick();
    if ((tried & first.bit()) == 0) {
      return first;
    }
    long now = node.now();
    int start = ThreadLocalRandom.current().nextInt(targets.length);
    Target best = null;
    for (int i = 0; i < targets.length; i++) {
      Target t = targets[(start + i) % targets.length];
      if ((tried & t.bit()) != 0 || !t.isAvailable(now)) {
        continue;
      }
      if (best == null || (long) t.health().inFlight() * best.config().weight()
          < (long) best.health().inFlight() * t.config().weight()) {
        best = t;
      }
    }
    return best == null ? first : best;
  }

  /** The target for the next request. */
  public Target pick() {
    if (targets.length == 1) {
      return targets[0];
    }
    long now = node.now();
    return switch (balancer) {
      case LEAST_REQUEST -> leastRequest(now);
      case ROUND_ROBIN -> rotate(now, null);
      case WEIGHTED -> rotate(now, schedule);
    };
  }

  /** Power of two choices (Mitzenmacher; Envoy's default): fewer in flight per unit of weight wins. */
  private Target leastRequest(long now) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    int n = targets.length;
    int a = random.nextInt(n);
    int b = random.nextInt(n - 1);
    if (b >= a) {
      b++;
    }
    Target ta = targets[a];
    Target tb = targets[b];
    boolean aOut = !ta.isAvailable(now);
    boolean bOut = !tb.isAvailable(now);
    if (aOut || bOut) {
      return aOut && bOut ? firstHealthy(now, a) : aOut ? tb : ta;
    }
    long loadA = (long) ta.health().inFlight() * tb.config().weight();
    long loadB = (long) tb.health().inFlight() * ta.config().weight();
    return loadB < loadA ? tb : ta;
  }

  /**
   * Round robin over {@code order} (or all targets in turn when null). When the scheduled target is ejected, the
   * next healthy target in declaration order takes its turn: one shared-cursor step and at most one pass over the
   * targets per pick, whatever the weights (a schedule can be as long as the sum of the weights).
   */
  private Target rotate(long now, int[] order) {
    int period = order == null ? targets.length : order.length;
    int slot = Math.floorMod(cursor.getAndIncrement(), period);
    int index = order == null ? slot : order[slot];
    return targets[index].isAvailable(now) ? targets[index] : firstHealthy(now, index);
  }

  private Target firstHealthy(long now, int from) {
    for (int i = 0; i < targets.length; i++) {
      Target t = targets[(from + i) % targets.length];
      if (t.isAvailable(now)) {
        return t;
      }
    }
    return targets[from];
  }

  /**
   * The target for an attempt, with its circuit breaker's permission taken: {@link #pick(long)}'s choice if its
   * circuit admits the call, else another target whose circuit does (untried and not ejected first). Null when no
   * target's circuit admits a call.
   */
  public Target acquire(long tried) {
    Target first = pick(tried);
    if (first.admits()) {
      return first;
    }
    long now = node.now();
    int start = ThreadLocalRandom.current().nextInt(targets.length);
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < targets.length; i++) {
        Target t = targets[(start + i) % targets.length];
        boolean preferred = (tried & t.bit()) == 0 && !t.health().isEjected(now);
        if (t != first && (pass == 1 || preferred) && t.admits()) {
          return t;
        }
      }
    }
    return null;
  }

  /** Milliseconds until the first open circuit of the service lets trial calls through; 0 when none is open. */
  public long openCircuitMillis() {
    long min = Long.MAX_VALUE;
    for (Target t : targets) {
      if (t.breaker() != null && t.breaker().openForMillis() > 0) {
        min = Math.min(min, t.breaker().openForMillis());
      }
    }
    return min == Long.MAX_VALUE ? 0 : min;
  }

  /** Counts a failure of {@code target}; ejects it at the threshold if the service's cap allows. */
  void failed(Target target) {
    TargetHealth health = target.health();
    if (!outliers.enabled() || health.isEjected(node.now())) {
      return; // late failures of requests sent before the ejection do not extend it
    }
    if (health.failed() < outliers.consecutiveFailures() || maxEjected() == 0 || atCap(node.now())) {
      return; // below the threshold, or no ejection possible: no lock on the (failing) hot path
    }
    synchronized (node.ejectionLock()) {
      long now = node.now();
      if (health.isEjected(now) || health.consecutiveFailures() < outliers.consecutiveFailures()) {
        return; // another event loop got here first
      }
      if (atCap(now)) {
        return;
      }
      Duration length = ejectionLength(health.ejections() + 1);
      health.eject(now + length.toNanos());
      node.countEjection(service);
      LOG.warn("service '{}': target {} ejected for {} ms after {} consecutive failures (ejection #{})",
          service, health.address(), length.toMillis(), outliers.consecutiveFailures(), health.ejections());
    }
  }

  /** Whether the service already has {@link #maxEjected()} targets ejected (lock-free read; rechecked under lock). */
  private boolean atCap(long now) {
    int ejected = 0;
    for (Target t : targets) {
      if (t.health().isEjected(now)) {
        ejected++;
      }
    }
    return ejected >= maxEjected();
  }

  /** Targets that may be ejected at once: {@code maxEjectionPercent} of them, rounded down, never all. */
  int maxEjected() {
    return Math.min(targets.length - 1, targets.length * outliers.maxEjectionPercent() / 100);
  }

  private Duration ejectionLength(int nth) {
    Duration length = outliers.baseEjectionTime().multipliedBy(nth);
    return length.compareTo(outliers.maxEjectionTime()) > 0 ? outliers.maxEjectionTime() : length;
  }
}
