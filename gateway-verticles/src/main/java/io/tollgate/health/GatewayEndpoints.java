package io.tollgate.health;

import io.tollgate.config.RouteConfig;
import io.tollgate.config.ServiceConfig;
import io.tollgate.pipeline.GatewayFailure;
import io.tollgate.pipeline.RequestContext;
import io.tollgate.problem.ProblemResponder;
import io.tollgate.problem.ProblemType;
import io.tollgate.problem.RequestIdHeader;
import io.tollgate.sync.ConfigSnapshot;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Endpoints the gateway answers itself on the public listener; they are never proxied and take precedence over
 * routes. They reveal no internal addresses or credentials (those are on the management listener only).
 *
 * <ul>
 *   <li>{@code /health}, {@code /healthz} — liveness: 200 while the process serves, even if every upstream is down</li>
 *   <li>{@code /readyz} — 200 when ready; 503 naming the failing checks (no config yet, draining, …)</li>
 *   <li>{@code /api/gateway/status} — version, uptime, instance id, config version</li>
 *   <li>{@code /api/gateway/services} — service names, their routes visible on the request's host, and health:
 *       {@code health} ({@code healthy}, or {@code degraded} while a target is ejected) and {@code targetStates}
 *       ({@code healthy} / {@code ejected} per target, in config order, no addresses)</li>
 * </ul>
 * Only GET and HEAD are allowed (405 otherwise).
 */
public final class GatewayEndpoints {

  private final GatewayState state;

  public GatewayEndpoints(GatewayState state) {
    this.state = state;
  }

  /** True if {@code normalizedPath} is one of the gateway's own endpoints. */
  public static boolean owns(String normalizedPath) {
    return switch (normalizedPath) {
      case "/health", "/healthz", "/readyz", "/api/gateway/status", "/api/gateway/services" -> true;
      default -> false;
    };
  }

  /** Answers an endpoint for which {@link #owns} is true. */
  public void serve(RequestContext ctx, ConfigSnapshot snapshot) {
    HttpMethod m = ctx.request().method();
    if (m != HttpMethod.GET && m != HttpMethod.HEAD) {
      ProblemResponder.respond(ctx, GatewayFailure.of(ProblemType.METHOD_NOT_ALLOWED,
          "gateway endpoints accept GET and HEAD").withHeader("Allow", "GET, HEAD"));
      return;
    }
    switch (ctx.normalizedPath()) {
      case "/health", "/healthz" -> send(ctx, 200, StatusDocuments.liveness(state));
      case "/readyz" -> {
        // Status from the document, not a second read of the state: it may flip (draining) in between.
        JsonObject readiness = StatusDocuments.readiness(state);
        send(ctx, "READY".equals(readiness.getString("status")) ? 200 : 503, readiness);
      }
      case "/api/gateway/status" -> send(ctx, 200, StatusDocuments.status(state, snapshot, false));
      default -> send(ctx, 200, services(snapshot, host(ctx), state.upstreams()));
    }
  }

  private static String host(RequestContext ctx) {
    var authority = ctx.request().authority();
    return authority == null ? "" : authority.host().toLowerCase(java.util.Locale.ROOT);
  }

  /** Routes restricted to other hosts stay hidden: the listing must not reveal which hosts the gateway serves. */
  private static boolean visibleOn(RouteConfig route, String host) {
    if (route.hosts().isEmpty()) {
      return true;
    }
    for (String pattern : route.hosts()) {
      if (pattern.equals(host) || (pattern.startsWith("*.") && host.endsWith(pattern.substring(1)))) {
        return true;
      }
    }
    return false;
  }

  private static JsonObject services(ConfigSnapshot snapshot, String host,
      io.tollgate.upstream.UpstreamHealth upstreams) {
    JsonArray list = new JsonArray();
    if (snapshot != null) {
      for (ServiceConfig s : snapshot.config().services().values()) {
        JsonArray routes = new JsonArray();
        for (RouteConfig r : snapshot.config().routes()) {
          if (r.allServices().contains(s.name()) && visibleOn(r, host)) {
            routes.add(new JsonObject().put("id", r.id()).put("path", r.path())
                .put("methods", new JsonArray(r.methods().stream().sorted().toList())));
          }
        }
        // Passive and active health and circuit states, in target order; addresses stay on the management listener.
        JsonArray states = new JsonArray();
        JsonArray circuits = new JsonArray();
        boolean degraded = false;
        java.util.List<io.tollgate.config.TargetConfig> targets = upstreams.targetsOf(s);
        for (io.tollgate.config.TargetConfig t : targets) {
          String state = upstreams.state(upstreams.find(t.address()));
          io.tollgate.upstream.CircuitBreaker breaker = upstreams.findBreaker(s.name(), t.address());
          String circuit = breaker == null ? "closed" : breaker.state().label();
          degraded |= !state.equals("healthy") || !circuit.equals("closed");
          states.add(state);
          circuits.add(circuit);
        }
        JsonObject service = new JsonObject().put("name", s.name()).put("routes", routes)
            .put("targets", targets.size()).put("health", degraded || targets.isEmpty() ? "degraded" : "healthy")
            .put("targetStates", states);
        if (s.circuitBreaker() != null) {
          service.put("circuitStates", circuits); // closed, half-open, open; no counts
        }
        list.add(service);
      }
    }
    return new JsonObject().put("services", list);
  }

  private static void send(RequestContext ctx, int status, JsonObject body) {
    var resp = ctx.response();
    resp.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader(RequestIdHeader.NAME, ctx.requestId());
    if (status >= 400) {
      ctx.rejection(status == 503 ? ProblemType.NOT_READY.slug() : null);
    }
    ctx.request().resume();
    resp.end(body.toBuffer());
  }
}
