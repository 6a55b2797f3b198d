package io.tollgate.upstream;

import io.tollgate.config.DnsDiscoveryConfig;
import io.tollgate.config.ServiceConfig;
import io.tollgate.config.TargetConfig;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The discovery loops of the node's discovered services (owned by {@link UpstreamsVerticle}, confined to its event
 * loop): a {@link DnsLookup} per {@code discovery.dns} service, an {@link EndpointSliceWatch} per
 * {@code discovery.kubernetes} one. A loop publishes through its service's {@link DiscoveredTargets} (read lock-free
 * by the data plane) and reports here; a changed set prunes forgotten addresses and is passed on to
 * {@code onChange} (health checks follow it).
 */
public final class TargetDiscovery {

  /** Counter prefix of DNS lookups: {@code upstream.dns.<outcome>.<service>} ({@link DiscoveredTargets.Outcome}). */
  public static final String DNS_RESOLUTIONS = "upstream.dns";
  /**
   * Counter prefix of Kubernetes list/watch activity: {@code upstream.kubernetes.<kind>.<service>}, kind one of
   * {@code list}, {@code relist}, {@code event}, {@code error}.
   */
  public static final String KUBERNETES = "upstream.kubernetes";

  /** One service's discovery: started once, stopped once, both on the owning event loop. */
  interface Loop {
    void start();

    void stop();
  }

  private static final Logger LOG = LoggerFactory.getLogger(TargetDiscovery.class);

  private final Vertx vertx;
  private final UpstreamHealth upstreams;
  private final Consumer<String> onChange;
  private final Map<String, Running> loops = new HashMap<>();

  private record Running(DiscoveredTargets set, Loop loop) {
  }

  /** @param onChange called with the service's name after its published set changed (on this event loop) */
  TargetDiscovery(Vertx vertx, UpstreamHealth upstreams, Consumer<String> onChange) {
    this.vertx = vertx;
    this.upstreams = upstreams;
    this.onChange = onChange;
  }

  /**
   * Follows a new config: starts the loops of services that became discovered, keeps those whose {@code discovery}
   * is unchanged (with their last good set), stops the others.
   */
  void apply(Collection<ServiceConfig> services) {
    Set<String> current = new HashSet<>();
    for (ServiceConfig service : services) {
      if (service.discovery() == null) {
        continue;
      }
      // Created by the snapshot's compilation; a different config there means a newer snapshot, compiled but not
      // applied yet, re-configured the service: its loop starts when that snapshot arrives.
      DiscoveredTargets set = upstreams.findDiscovered(service.name());
      if (set == null || !set.config().equals(service.discovery())) {
        continue;
      }
      current.add(service.name());
      Running existing = loops.get(service.name());
      if (existing != null && existing.set() == set) {
        continue;
      }
      if (existing != null) {
        existing.loop().stop();
      }
      Loop loop = set.config() instanceof DnsDiscoveryConfig ? new DnsLookup(vertx, this, set)
          : new EndpointSliceWatch(vertx, this, set);
      loops.put(service.name(), new Running(set, loop));
      loop.start();
    }
    loops.entrySet().removeIf(e -> {
      if (!current.contains(e.getKey())) {
        e.getValue().loop().stop();
        return true;
      }
      return false;
    });
  }

  /** Stops every loop. */
  void close() {
    loops.values().forEach(r -> r.loop().stop());
    loops.clear();
  }

  /** A loop published {@code outcome} for {@code set}: on a change, logs it, prunes, tells the owner. */
  void published(DiscoveredTargets set, DiscoveredTargets.Outcome outcome, List<TargetConfig> before) {
    if (outcome == DiscoveredTargets.Outcome.CHANGED) {
      LOG.info("service '{}': {} resolved to {} (was {})", set.service(), set.config().describe(),
          addresses(set.targets()), before == null ? "unresolved" : addresses(before));
      upstreams.prune(); // addresses that left the set lose their state
      onChange.accept(set.service());
    } else if (outcome == DiscoveredTargets.Outcome.EMPTY && loud(set.failuresInARow())) {
      LOG.warn("service '{}': {} has no address ({} in a row), keeping {} target(s)", set.service(),
          set.config().describe(), set.failuresInARow(), set.targets() == null ? 0 : set.targets().size());
    }
  }

  void count(String counter) {
    upstreams.count(counter);
  }

  /** Logs the 1st, 10th, 100th, … bad lookup in a row: an outage every 200 ms must not flood the log. */
  static boolean loud(int inARow) {
    int n = inARow;
    while (n >= 10 && n % 10 == 0) {
      n /= 10;
    }
    return n == 1;
  }

  private static List<String> addresses(List<TargetConfig> targets) {
    List<String> list = new ArrayList<>();
    targets.forEach(t -> list.add(t.address()));
    return list;
  }
}
