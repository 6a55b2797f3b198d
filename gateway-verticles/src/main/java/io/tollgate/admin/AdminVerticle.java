package io.tollgate.admin;

import io.tollgate.auth.keys.AuthKeys;
import io.tollgate.auth.keys.AuthKeysFeed;
import io.tollgate.config.ControlPlaneConfig;
import io.tollgate.config.ManagementConfig;
import io.tollgate.store.PgConfigStore;
import io.tollgate.config.RouteConfig;
import io.tollgate.config.ServiceConfig;
import io.tollgate.config.TargetConfig;
import io.tollgate.health.GatewayState;
import io.tollgate.health.StatusDocuments;
import io.tollgate.sync.ConfigSnapshot;
import io.tollgate.sync.SnapshotFeed;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The management listener (default {@code 127.0.0.1:9901}): full detail that must not reach the public side —
 * upstream URLs, pool sizes, timeouts, metrics. Later it also serves the Admin API.
 *
 * <p>Endpoints: {@code /health}, {@code /readyz} (as on the public listener), {@code /status} (status plus
 * services with their targets (address, weight, state, in flight, consecutive failures, ejections, ejected
 * until) and routes, and per token issuer the key count, kids, key age in seconds — the
 * staleness to alert on — and the last fetch error), {@code /metrics} (the gateway's registry in the Prometheus
 * text format; this listener's {@code management.host}/{@code port} is what Prometheus scrapes).
 */
public final class AdminVerticle extends VerticleBase {

  /** Prometheus text exposition format 0.0.4. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final GatewayState state;
  private final ManagementConfig config;
  private final ControlPlaneConfig controlPlane;
  private PgConfigStore store;
  private io.vertx.ext.web.Router adminApi;
  private ConfigSnapshot snapshot;
  private AuthKeys authKeys;
  private HttpServer server;

  /** @param controlPlane the control plane, whose Admin API this listener serves under {@code /admin}; or null */
  public AdminVerticle(GatewayState state, ManagementConfig config, ControlPlaneConfig controlPlane) {
    this.state = state;
    this.config = config;
    this.controlPlane = controlPlane;
  }

  @Override
  public Future<?> start() {
    return AuthKeysFeed.follow(vertx, next -> authKeys = next)
        .compose(v -> SnapshotFeed.follow(vertx, next -> snapshot = next))
        .compose(ready -> startAdminApi())
        .compose(ready -> {
          // Scrapes and probes are not traffic: no spans for them, whatever the sampling ratio.
          server = vertx.createHttpServer(new HttpServerOptions())
              .requestHandler(this::handle);
          return server.listen(config.port(), config.host());
        });
  }

  /** The Admin API, when this node has a control plane: its store is migrated first (the schema is versioned). */
  private Future<Void> startAdminApi() {
    if (controlPlane == null) {
      return Future.succeededFuture();
    }
    store = PgConfigStore.create(vertx, controlPlane.postgres());
    ApiKeyIssuer keys = new ApiKeyIssuer(store, () -> snapshot.config().auth().apiKeys().pepper());
    adminApi = new AdminApi(vertx, controlPlane, store, keys,
        (token, issuer) -> snapshot.auth().verify(token, issuer, authKeys, Instant.now())).router();
    // The store may be down at start: the node still serves (last-known-good), and writes answer 503 until it is up.
    store.ready().onFailure(e -> org.slf4j.LoggerFactory.getLogger(AdminVerticle.class)
        .warn("config store not migrated yet: {}", e.getMessage()));
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return store == null ? Future.succeededFuture() : store.close();
  }

  /** The bound port (useful when configured as 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private void handle(HttpServerRequest req) {
    if (adminApi != null && (req.path().equals("/admin") || req.path().startsWith("/admin/"))) {
      adminApi.handle(req);
      return;
    }
    switch (req.path()) {
      case "/health", "/healthz" -> send(req, 200, StatusDocuments.liveness(state));
      case "/readyz" -> {
        // Status from the document, not a second read of the state: it may flip (draining) in between.
        JsonObject readiness = StatusDocuments.readiness(state);
        send(req, "READY".equals(readiness.getString("status")) ? 200 : 503, readiness);
      }
      case "/metrics" -> {
        if (state.metrics().enabled()) {
          req.response().setStatusCode(200)
              .putHeader(HttpHeaders.CONTENT_TYPE, PROMETHEUS_TEXT)
              .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
              .end(state.metrics().scrape());
        } else {
          send(req, 404, new JsonObject().put("error", "metrics are off (management.metrics: false)"));
        }
      }
      case "/status" -> send(req, 200, StatusDocuments.status(state, snapshot, true).put("services", services())
          .put("retryBudgets", retryBudgets())
          .put("auth", authKeys == null ? null : authKeys.status(Instant.now()))
          .put("controlPlane", controlPlane == null ? null : state.controlPlane().toJson())
          .put("counters", new JsonObject(new java.util.LinkedHashMap<>(state.counters().snapshot()))));
      default -> send(req, 404, new JsonObject().put("error", "not found"));
    }
  }

  private JsonArray services() {
    JsonArray list = new JsonArray();
    for (ServiceConfig s : snapshot.config().services().values()) {
      JsonArray targets = new JsonArray();
      for (TargetConfig t : state.upstreams().targetsOf(s)) {
        targets.add(target(t).put("circuit", circuit(s.name(), t)));
      }
      JsonArray routes = new JsonArray();
      for (RouteConfig r : snapshot.config().routes()) {
        if (r.allServices().contains(s.name())) {
          routes.add(r.id());
        }
      }
      list.add(new JsonObject()
          .put("name", s.name())
          .put("targets", targets)
          .put("routes", routes)
          .put("loadBalancer", s.loadBalancer().configName())
          .put("hashOn", s.hashOn() == null ? null : s.hashOn().configText())
          .put("outlierDetection", new JsonObject()
              .put("consecutiveFailures", s.outlierDetection().consecutiveFailures())
              .put("baseEjectionTimeMs", s.outlierDetection().baseEjectionTime().toMillis())
              .put("maxEjectionTimeMs", s.outlierDetection().maxEjectionTime().toMillis())
              .put("maxEjectionPercent", s.outlierDetection().maxEjectionPercent()))
          .put("maxConnectionsPerTarget", s.maxConnectionsPerTarget())
          .put("connectTimeoutMs", s.timeouts().connect().toMillis())
          .put("responseTimeoutMs", s.timeouts().response().toMillis())
          .put("totalTimeoutMs", s.timeouts().totalOrResponse().toMillis())
          .put("retry", retry(s.retry()))
          .put("circuitBreaker", circuitBreaker(s.circuitBreaker()))
          .put("discovery", discovery(s)));
    }
    return list;
  }

  /** Each retrying route's budget use over its 10 s window (a split route has one budget per service). */
  private JsonArray retryBudgets() {
    JsonArray list = new JsonArray();
    state.upstreams().budgets().forEach((key, budget) -> list.add(new JsonObject()
        .put("route", key.substring(0, key.indexOf(' ')))
        .put("service", key.substring(key.indexOf(' ') + 1))
        .put("requests", budget.requestsInWindow())
        .put("retries", budget.retriesInWindow())
        .put("allowed", budget.allowedInWindow())));
    return list;
  }

  /**
   * A discovered service's resolution: for DNS the name, TTL bounds and next lookup, for Kubernetes the watch's
   * state; for both the last outcome and error, failures in a row, when it last looked up and last changed; null
   * for static targets.
   */
  private JsonObject discovery(ServiceConfig s) {
    io.tollgate.upstream.DiscoveredTargets d = s.discovery() == null ? null
        : state.upstreams().findDiscovered(s.name());
    if (d == null) {
      return null;
    }
    JsonObject json = new JsonObject();
    if (d.config() instanceof io.tollgate.config.DnsDiscoveryConfig dns) {
      json.put("dns", dns.name())
          .put("port", dns.port())
          .put("minTtlMs", dns.minTtl().toMillis())
          .put("maxTtlMs", dns.maxTtl().toMillis())
          .put("servers", new JsonArray(dns.servers().stream().map(Object::toString).toList()))
          .put("nextLookup", d.nextLookup() == null ? null : d.nextLookup().toString());
    } else if (d.config() instanceof io.tollgate.config.KubernetesDiscoveryConfig k8s) {
      json.put("kubernetes", k8s.describe());
      io.tollgate.upstream.KubernetesWatchState watch = d.watch();
      if (watch != null) {
        json.put("watch", watch.state()).put("resourceVersion", watch.resourceVersion()).put("slices", watch.slices());
      }
    }
    return json
        .put("resolved", d.targets() == null ? 0 : d.targets().size())
        .put("lastOutcome", d.lastOutcome() == null ? null : d.lastOutcome().label())
        .put("lastError", d.lastError())
        .put("failuresInARow", d.failuresInARow())
        .put("lastLookup", d.lastLookup() == null ? null : d.lastLookup().toString())
        .put("lastChange", d.lastChange() == null ? null : d.lastChange().toString());
  }

  /** A service's circuit-breaker settings; null when it has none. */
  private static JsonObject circuitBreaker(io.tollgate.config.CircuitBreakerConfig c) {
    return c == null ? null : new JsonObject()
        .put("failureRateThreshold", c.failureRateThreshold())
        .put("slowCallRateThreshold", c.slowCallRateThreshold())
        .put("slowCallDurationMs", c.slowCallDuration().toMillis())
        .put("window", c.timeBased() ? null : c.window())
        .put("windowDurationMs", c.timeBased() ? c.windowDuration().toMillis() : null)
        .put("minimumCalls", c.minimumCalls())
        .put("openDurationMs", c.openDuration().toMillis())
        .put("halfOpenCalls", c.halfOpenCalls());
  }

  /** A service's default retry rules (routes may declare their own); null when retries are off. */
  private static JsonObject retry(io.tollgate.config.RetryConfig r) {
    if (!r.enabled()) {
      return null;
    }
    JsonArray on = new JsonArray();
    if (r.onConnectFailure()) {
      on.add("connect-failure");
    }
    if (r.onReset()) {
      on.add("reset");
    }
    r.statuses().stream().sorted().forEach(on::add);
    return new JsonObject()
        .put("attempts", r.attempts())
        .put("on", on)
        .put("backoffBaseMs", r.backoffBase().toMillis())
        .put("backoffMaxMs", r.backoffMax().toMillis())
        .put("retryAfterMaxMs", r.retryAfterMax().toMillis())
        .put("budgetPercent", r.budgetPercent())
        .put("budgetMinPerSecond", r.budgetMinPerSecond());
  }

  /** The target's circuit breaker in {@code service}: state, window, time left open; null without a breaker. */
  private JsonObject circuit(String service, TargetConfig t) {
    io.tollgate.upstream.CircuitBreaker breaker = state.upstreams().findBreaker(service, t.address());
    if (breaker == null) {
      return null;
    }
    io.tollgate.upstream.CircuitBreaker.Window window = breaker.window();
    long openForMs = breaker.openForMillis();
    return new JsonObject()
        .put("state", breaker.state().label())
        .put("calls", window.calls())
        .put("failures", window.failures())
        .put("slowCalls", window.slow())
        .put("openForMs", openForMs > 0 ? openForMs : null);
  }

  /** A target with its node-wide state (keyed by address, so two services naming it share it). */
  private JsonObject target(TargetConfig t) {
    io.tollgate.upstream.UpstreamHealth upstreams = state.upstreams();
    io.tollgate.upstream.TargetHealth health = upstreams.find(t.address());
    JsonObject json = new JsonObject().put("url", t.url()).put("address", t.address()).put("weight", t.weight());
    if (health == null) {
      return json.put("state", "healthy").put("inFlight", 0).put("consecutiveFailures", 0).put("ejections", 0);
    }
    long ejectedForMs = upstreams.ejectedForMillis(health);
    return json.put("state", upstreams.state(health))
        .put("inFlight", health.inFlight())
        .put("consecutiveFailures", health.consecutiveFailures())
        .put("ejections", health.ejections())
        .put("ejectedForMs", ejectedForMs > 0 ? ejectedForMs : null)
        .put("ejectedUntil", ejectedForMs > 0 ? Instant.now().plusMillis(ejectedForMs).toString() : null);
  }

  private static void send(HttpServerRequest req, int status, JsonObject body) {
    req.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.toBuffer());
  }
}
