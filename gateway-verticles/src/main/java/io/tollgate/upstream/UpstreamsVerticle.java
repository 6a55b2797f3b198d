package io.tollgate.upstream;

import io.tollgate.config.HealthCheckConfig;
import io.tollgate.config.ServiceConfig;
import io.tollgate.config.TargetConfig;
import io.tollgate.sync.ConfigSnapshot;
import io.tollgate.sync.SnapshotFeed;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control side of the upstreams (one instance per node): follows the targets of discovered services
 * ({@link TargetDiscovery}: DNS, Kubernetes EndpointSlices) and runs the active health checks of every service that declares {@code healthCheck},
 * following the config snapshots. Results go into the addresses'
 * {@link TargetHealth}, which the ingress event loops read lock-free when picking a target — no event-bus message
 * per request, and one check per address and interval whatever the number of event loops.
 *
 * <p>Each checked address gets one periodic timer on this verticle's event loop; a check is
 * {@code GET <base path><path>} on a fresh connection, with {@code timeout} as connect and idle timeout. A new
 * snapshot replaces every timer; state stays with the address, so an unhealthy target stays out across a reload.
 * Addresses no longer checked are healthy again. A discovered service's changed target set replaces the timers too
 * (its new addresses are checked at once; those that stayed keep their state). An address named by two services with checks is checked by the
 * first in config order.
 */
public final class UpstreamsVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(UpstreamsVerticle.class);

  private final UpstreamHealth upstreams;
  private final Map<String, Long> timers = new HashMap<>();
  private HttpClient client;
  private TargetDiscovery discovery;
  private ConfigSnapshot snapshot;

  public UpstreamsVerticle(UpstreamHealth upstreams) {
    this.upstreams = upstreams;
  }

  @Override
  public Future<?> start() {
    client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setName("health-checks"));
    discovery = new TargetDiscovery(vertx, upstreams, this::targetsChanged);
    return SnapshotFeed.follow(vertx, this::apply);
  }

  @Override
  public Future<?> stop() {
    timers.values().forEach(vertx::cancelTimer);
    discovery.close();
    return client.close();
  }

  private void apply(ConfigSnapshot next) {
    snapshot = next;
    discovery.apply(next.config().services().values());
    scheduleChecks();
  }

  /** A discovered service's target set changed: its new addresses need health checks (if it has any). */
  private void targetsChanged(String service) {
    ServiceConfig config = snapshot == null ? null : snapshot.config().services().get(service);
    if (config != null && config.healthCheck() != null) {
      scheduleChecks();
    }
  }

  /** Replaces every health-check timer by those of the targets in force (discovered ones included). */
  private void scheduleChecks() {
    timers.values().forEach(vertx::cancelTimer);
    timers.clear();
    Set<String> checked = new HashSet<>();
    for (ServiceConfig service : snapshot.config().services().values()) {
      HealthCheckConfig check = service.healthCheck();
      if (check == null) {
        continue;
      }
      for (TargetConfig target : upstreams.targetsOf(service)) {
        if (checked.add(target.address())) {
          TargetHealth health = upstreams.target(target.address());
          probe(service.name(), target, check, health);
          timers.put(target.address(), vertx.setPeriodic(check.interval().toMillis(),
              id -> probe(service.name(), target, check, health)));
        }
      }
    }
    for (ServiceConfig service : snapshot.config().services().values()) {
      for (TargetConfig target : upstreams.targetsOf(service)) {
        TargetHealth health = upstreams.find(target.address());
        if (health != null && !checked.contains(target.address()) && health.isUnhealthy()) {
          health.clearChecks();
          LOG.info("target {} is no longer health-checked: back in rotation", target.address());
        }
      }
    }
  }

  private void probe(String service, TargetConfig target, HealthCheckConfig check, TargetHealth health) {
    long timeoutMs = check.timeout().toMillis();
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setHost(target.host())
        .setPort(target.port())
        .setSsl(target.ssl())
        .setURI(target.basePath() + check.path())
        .setConnectTimeout(timeoutMs)
        .setIdleTimeout(timeoutMs)
        .putHeader("User-Agent", "tollgate-health-check");
    client.request(options)
        .compose(req -> req.send())
        .compose(resp -> resp.body().map(body -> resp.statusCode()))
        .onComplete(ar -> {
          boolean passed = ar.succeeded() && check.passes(ar.result());
          if (health.checked(passed, check.healthyThreshold(), check.unhealthyThreshold())) {
            if (passed) {
              LOG.info("service '{}': target {} passed {} health checks: back in rotation", service,
                  target.address(), check.healthyThreshold());
            } else {
              LOG.warn("service '{}': target {} failed {} health checks ({}): out of rotation", service,
                  target.address(), check.unhealthyThreshold(),
                  ar.succeeded() ? "status " + ar.result() : ar.cause().toString());
            }
          }
        });
  }
}
