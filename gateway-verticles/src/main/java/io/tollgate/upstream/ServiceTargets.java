package io.tollgate.upstream;

import io.tollgate.config.LoadBalancer;
import io.tollgate.config.OutlierDetectionConfig;
import io.tollgate.config.ServiceConfig;
import io.tollgate.config.TargetConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
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
 * ({@link #acquire} returns null) — or a DNS-discovered service before its first good answer.
 *
 * <p>The target set is fixed for static targets. For a DNS-discovered service it follows the service's
 * {@link DiscoveredTargets} (ADR 0009): one volatile read per pick, the target array rebuilt once per change,
 * unchanged addresses keeping their node state. The {@code consistent-hash} balancer scores the request's key
 * against each target by weighted rendezvous hashing ({@link Rendezvous}).
 */
public final class ServiceTargets {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceTargets.class);
  private static final Target[] NONE = new Target[0];
  /** A request without a hash key (see {@link #acquire(long, long)}). */
  public static final long NO_HASH = 0;

  private final String service;
  private final ServiceConfig config;
  private final LoadBalancer balancer;
  private final OutlierDetectionConfig outliers;
  /** The published set of a DNS-discovered service (see {@link DiscoveredTargets}); null for static targets. */
  private final AtomicReference<List<TargetConfig>> source;
  /** The targets in force: fixed for static targets, rebuilt when a discovered set is replaced. */
  private volatile Members members;
  private final AtomicInteger cursor = new AtomicInteger();
  private final UpstreamHealth node;

  /**
   * One target set.
   *
   * @param from     the list it was built from (compared by identity with the published one)
   * @param targets  one per address, state from the node
   * @param schedule smooth weighted round robin order (indexes into targets), one period; empty unless
   *                 {@code weighted}
   */
  private record Members(List<TargetConfig> from, Target[] targets, int[] schedule) {
  }

  private ServiceTargets(ServiceConfig config, UpstreamHealth node) {
    this.service = config.name();
    this.config = config;
    this.balancer = config.loadBalancer();
    this.outliers = config.outlierDetection();
    this.node = node;
    this.source = config.discovery() == null ? null
        : node.discovered(service, config.discovery()).published();
    this.members = build(config.discovery() == null ? config.targets() : source.get());
    int n = members.targets().length;
    if (outliers.enabled() && n > 1 && maxEjected(n) == 0) {
      LOG.warn("service '{}': outlierDetection.maxEjectionPercent {} % of {} targets rounds down to 0: no target"
          + " will ever be ejected", service, outliers.maxEjectionPercent(), n);
    }
  }

  /**
   * The hash of a request's key {@code text[from, to)} for {@link #acquire(long, long)}: the same on every node;
   * never {@link #NO_HASH}.
   */
  public static long hashKey(CharSequence text, int from, int to) {
    return Rendezvous.hash(text, from, to);
  }

  /** Compiles {@code config}'s targets against the node's health state. */
  public static ServiceTargets compile(ServiceConfig config, UpstreamHealth node) {
    return new ServiceTargets(config, node);
  }

  private Members build(List<TargetConfig> list) {
    if (list == null || list.isEmpty()) {
      return new Members(list, NONE, new int[0]);
    }
    Target[] built = new Target[list.size()];
    for (int i = 0; i < built.length; i++) {
      String address = list.get(i).address();
      built[i] = new Target(list.get(i), node.target(address), this, i,
          node.breaker(service, address, config.circuitBreaker()));
    }
    return new Members(list, built, balancer == LoadBalancer.WEIGHTED ? SmoothWeights.schedule(list) : new int[0]);
  }

  /**
   * The targets in force. For a discovered service, one volatile read of the published set per call; when it was
   * replaced, the first caller rebuilds (once per change; unchanged addresses keep their node state, requests in
   * flight keep the {@link Target} they picked).
   */
  private Target[] current() {
    return members().targets();
  }

  private Members members() {
    Members m = members;
    if (source != null) {
      List<TargetConfig> published = source.get();
      if (published != m.from()) {
        m = rebuild(published);
      }
    }
    return m;
  }

  private synchronized Members rebuild(List<TargetConfig> published) {
    Members m = members;
    if (published != m.from()) {
      m = build(published);
      members = m;
    }
    return m;
  }

  public String service() {
    return service;
  }

  /** The targets in force (for a discovered service, the last published set; empty before the first answer). */
  public List<Target> targets() {
    return List.of(current());
  }

  /** Whether the service has a target at all (a discovered service has none before its first good answer). */
  public boolean hasTargets() {
    return current().length > 0;
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
    return pick(tried, NO_HASH);
  }

  /** As {@link #pick(long)}, for a request whose hash key is {@code hash} ({@link #NO_HASH}: none). */
  Target pick(long tried, long hash) {
    Members m = members();
    Target[] targets = m.targets();
    if (targets.length == 0) {
      return null;
    }
    Target first = pick(m, hash);
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

  /** The target for the next request; null when the service has no target (discovered, not resolved yet). */
  public Target pick() {
    return pickFor(NO_HASH);
  }

  /** The target for a request whose hash key is {@code hash} ({@link #NO_HASH}: none); null without targets. */
  public Target pickFor(long hash) {
    Members m = members();
    return m.targets().length == 0 ? null : pick(m, hash);
  }

  private Target pick(Members m, long hash) {
    Target[] targets = m.targets();
    if (targets.length == 1) {
      return targets[0];
    }
    long now = node.now();
    return switch (balancer) {
      case CONSISTENT_HASH -> hash == NO_HASH ? leastRequest(targets, now) : rendezvous(targets, now, hash);
      case LEAST_REQUEST -> leastRequest(targets, now);
      case ROUND_ROBIN -> rotate(targets, now, null);
      case WEIGHTED -> rotate(targets, now, m.schedule());
    };
  }

  /**
   * Weighted rendezvous hashing over the available targets ({@link Rendezvous}); when none is available, over all
   * (fail open, as the other balancers). A target that becomes unavailable loses only its own keys, and gets them
   * back when it returns.
   */
  private Target rendezvous(Target[] targets, long now, long hash) {
    Target best = null;
    double bestScore = -1;
    for (int pass = 0; pass < 2 && best == null; pass++) {
      for (Target t : targets) {
        if (pass == 0 && !t.isAvailable(now)) {
          continue;
        }
        double score = Rendezvous.score(hash, t.addressHash(), t.config().weight());
        if (score > bestScore) {
          bestScore = score;
          best = t;
        }
      }
    }
    return best;
  }

  /** Power of two choices (Mitzenmacher; Envoy's default): fewer in flight per unit of weight wins. */
  private Target leastRequest(Target[] targets, long now) {
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
      return aOut && bOut ? firstHealthy(targets, now, a) : aOut ? tb : ta;
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
  private Target rotate(Target[] targets, long now, int[] order) {
    int period = order == null ? targets.length : order.length;
    int slot = Math.floorMod(cursor.getAndIncrement(), period);
    int index = order == null ? slot : order[slot];
    return targets[index].isAvailable(now) ? targets[index] : firstHealthy(targets, now, index);
  }

  private Target firstHealthy(Target[] targets, long now, int from) {
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
    return acquire(tried, NO_HASH);
  }

  /**
   * As {@link #acquire(long)} for a request whose hash key is {@code hash} ({@link #NO_HASH}: none): under
   * {@code consistent-hash}, the key's target when it is available and its circuit admits the call.
   */
  public Target acquire(long tried, long hash) {
    Target first = pick(tried, hash);
    if (first == null || first.admits()) {
      return first;
    }
    Target[] targets = current();
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
    for (Target t : current()) {
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
    for (Target t : current()) {
      if (t.health().isEjected(now)) {
        ejected++;
      }
    }
    return ejected >= maxEjected();
  }

  /** Targets that may be ejected at once: {@code maxEjectionPercent} of them, rounded down, never all. */
  int maxEjected() {
    return maxEjected(current().length);
  }

  private int maxEjected(int n) {
    return Math.max(0, Math.min(n - 1, n * outliers.maxEjectionPercent() / 100));
  }

  private Duration ejectionLength(int nth) {
    Duration length = outliers.baseEjectionTime().multipliedBy(nth);
    return length.compareTo(outliers.maxEjectionTime()) > 0 ? outliers.maxEjectionTime() : length;
  }
}
