package io.tollgate.upstream;

import io.tollgate.config.DnsDiscoveryConfig;
import io.tollgate.config.ServiceConfig;
import io.tollgate.config.TargetConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.dns.DnsClient;
import io.vertx.core.dns.DnsClientOptions;
import java.time.Instant;
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
 * Re-resolves the DNS names of discovered services (owned by {@link UpstreamsVerticle}, confined to its event loop).
 * Each service gets one periodic timer ({@code refresh}) and one Vert.x {@link DnsClient} per configured server (or
 * one for the system's resolvers); a lookup asks for the A and AAAA records with {@code timeout}, trying the servers
 * in order until one answers both. Nothing blocks: the client speaks DNS over UDP on this event loop.
 *
 * <p>A lookup publishes its answer through the service's {@link DiscoveredTargets} (read lock-free by the data
 * plane); failed or empty lookups keep the last good set. A lookup still running when the timer fires again is not
 * doubled. Each lookup is counted as {@value #RESOLUTIONS}{@code .<outcome>.<service>}.
 */
public final class DnsDiscovery {

  /** Counter prefix: {@code upstream.dns.<outcome>.<service>}, outcome as in {@link DiscoveredTargets.Outcome}. */
  public static final String RESOLUTIONS = "upstream.dns";

  private static final Logger LOG = LoggerFactory.getLogger(DnsDiscovery.class);

  private final Vertx vertx;
  private final UpstreamHealth upstreams;
  private final Consumer<String> onChange;
  private final Map<String, Lookup> lookups = new HashMap<>();

  /** @param onChange called with the service's name after its published set changed (on this event loop) */
  DnsDiscovery(Vertx vertx, UpstreamHealth upstreams, Consumer<String> onChange) {
    this.vertx = vertx;
    this.upstreams = upstreams;
    this.onChange = onChange;
  }

  /**
   * Follows a new config: starts resolving services that became discovered (at once, then every {@code refresh}),
   * keeps the timers of those whose {@code discovery.dns} is unchanged, stops the others.
   */
  void apply(Collection<ServiceConfig> services) {
    Set<String> current = new HashSet<>();
    for (ServiceConfig service : services) {
      DnsDiscoveryConfig config = service.discovery();
      if (config == null) {
        continue;
      }
      // Created by the snapshot's compilation; a different config there means a newer snapshot, compiled but not
      // applied yet, re-configured the service: its lookup starts when that snapshot arrives.
      DiscoveredTargets set = upstreams.findDiscovered(service.name());
      if (set == null || !set.config().equals(config)) {
        continue;
      }
      current.add(service.name());
      Lookup existing = lookups.get(service.name());
      if (existing != null && existing.set == set) {
        continue;
      }
      if (existing != null) {
        existing.stop();
      }
      Lookup lookup = new Lookup(service.name(), set);
      lookups.put(service.name(), lookup);
      lookup.start();
    }
    lookups.entrySet().removeIf(e -> {
      if (!current.contains(e.getKey())) {
        e.getValue().stop();
        return true;
      }
      return false;
    });
  }

  /** Stops every timer and closes the DNS clients. */
  void close() {
    lookups.values().forEach(Lookup::stop);
    lookups.clear();
  }

  /** The resolution of one service: its timer, its clients, whether a lookup is running. */
  private final class Lookup {

    private final String service;
    private final DiscoveredTargets set;
    private final DnsDiscoveryConfig config;
    private final List<DnsClient> clients = new ArrayList<>();
    private long timer = -1;
    private boolean running;
    private boolean stopped;

    Lookup(String service, DiscoveredTargets set) {
      this.service = service;
      this.set = set;
      this.config = set.config();
    }

    void start() {
      long timeoutMs = config.timeout().toMillis();
      if (config.servers().isEmpty()) {
        clients.add(vertx.createDnsClient(new DnsClientOptions().setQueryTimeout(timeoutMs)));
      }
      for (DnsDiscoveryConfig.Server server : config.servers()) {
        clients.add(vertx.createDnsClient(new DnsClientOptions().setHost(server.host()).setPort(server.port())
            .setQueryTimeout(timeoutMs)));
      }
      resolve();
      timer = vertx.setPeriodic(config.refresh().toMillis(), id -> resolve());
    }

    void stop() {
      stopped = true;
      if (timer >= 0) {
        vertx.cancelTimer(timer);
      }
      clients.forEach(DnsClient::close);
    }

    private void resolve() {
      if (running || stopped) {
        return;
      }
      running = true;
      ask(0, null).onComplete(ar -> {
        running = false;
        if (stopped) {
          return;
        }
        DiscoveredTargets.Outcome outcome;
        if (ar.succeeded()) {
          List<TargetConfig> before = set.targets();
          outcome = set.answered(ar.result(), Instant.now());
          report(outcome, before);
        } else {
          outcome = set.failed(String.valueOf(ar.cause().getMessage()), Instant.now());
          if (loud(set.failuresInARow())) {
            LOG.warn("service '{}': DNS lookup of {} failed ({} in a row), keeping {} target(s): {}", service,
                config.name(), set.failuresInARow(), set.targets() == null ? 0 : set.targets().size(),
                set.lastError());
          }
        }
        upstreams.count(RESOLUTIONS + "." + outcome.label() + "." + service);
      });
    }

    private void report(DiscoveredTargets.Outcome outcome, List<TargetConfig> before) {
      if (outcome == DiscoveredTargets.Outcome.CHANGED) {
        LOG.info("service '{}': {} resolved to {} (was {})", service, config.name(), addresses(set.targets()),
            before == null ? "unresolved" : addresses(before));
        upstreams.prune(); // addresses that left the set lose their state
        onChange.accept(service);
      } else if (outcome == DiscoveredTargets.Outcome.EMPTY && loud(set.failuresInARow())) {
        LOG.warn("service '{}': {} has no A or AAAA record ({} in a row), keeping {} target(s)", service,
            config.name(), set.failuresInARow(), set.targets() == null ? 0 : set.targets().size());
      }
    }

    /** A and AAAA from server {@code i}, else from the next one; fails with the last server's error. */
    private Future<List<TargetConfig>> ask(int i, Throwable previous) {
      if (i >= clients.size()) {
        return Future.failedFuture(previous);
      }
      DnsClient client = clients.get(i);
      Future<List<String>> a = client.resolveA(config.name());
      Future<List<String>> aaaa = client.resolveAAAA(config.name());
      return Future.all(a, aaaa)
          .map(all -> DnsAnswers.targets(config, a.result(), aaaa.result()))
          .recover(e -> ask(i + 1, new IllegalStateException(server(i) + ": " + e.getMessage(), e)));
    }

    private String server(int i) {
      return config.servers().isEmpty() ? "system resolver" : "DNS server " + config.servers().get(i);
    }
  }

  /** Logs the 1st, 10th, 100th, … bad lookup in a row: an outage every 200 ms must not flood the log. */
  private static boolean loud(int inARow) {
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
