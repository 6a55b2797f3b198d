package io.tollgate.ingress;

import io.tollgate.auth.AuthRuntime;
import io.tollgate.health.GatewayEndpoints;
import io.tollgate.observability.AccessLog;
import io.tollgate.observability.GatewayMetrics;
import io.tollgate.observability.Tracing;
import io.tollgate.pipeline.GatewayFailure;
import io.tollgate.pipeline.Outcome;
import io.tollgate.pipeline.RequestContext;
import io.tollgate.problem.ProblemResponder;
import io.tollgate.ratelimit.RateLimitRuntime;
import io.tollgate.problem.ProblemType;
import io.tollgate.problem.RequestIdHeader;
import io.tollgate.proxy.Framing;
import io.tollgate.proxy.ProxyInvoker;
import io.tollgate.routing.BadPathException;
import io.tollgate.routing.CompiledRoute;
import io.tollgate.routing.PathNormalizer;
import io.tollgate.routing.QueryText;
import io.tollgate.routing.RouteMatch;
import io.tollgate.sync.ConfigSnapshot;
import io.tollgate.websocket.WebSocketProxy;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Supplier;

/**
 * The request path of one ingress instance, as one recipe:
 *
 * <pre>
 *   framing check → normalise path → gateway endpoints → match route → route policies → proxy
 * </pre>
 *
 * (an upgrade on a route with {@code websocket:} ends in {@link WebSocketProxy} instead of the HTTP proxy).
 *
 * Every rejection goes through {@link ProblemResponder}; every request is logged once by {@link AccessLog} and
 * measured once by {@link GatewayMetrics} (both in {@code finished}, which runs exactly once per request).
 * Runs on the ingress instance's event loop; the config snapshot is read once per request, so a request keeps
 * the snapshot it started with even if a new one arrives mid-flight.
 */
final class IngressHandler {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IngressHandler.class);

  private final Supplier<ConfigSnapshot> snapshots;
  private final GatewayEndpoints endpoints;
  private final ProxyInvoker proxy;
  private final WebSocketProxy webSockets;
  private final AuthRuntime auth;
  private final RateLimitRuntime rateLimits;
  private final GatewayMetrics metrics;
  private final Tracing tracing;

  IngressHandler(Supplier<ConfigSnapshot> snapshots, GatewayEndpoints endpoints, ProxyInvoker proxy,
      WebSocketProxy webSockets, AuthRuntime auth, RateLimitRuntime rateLimits, GatewayMetrics metrics,
      Tracing tracing) {
    this.webSockets = webSockets;
    this.metrics = metrics;
    this.tracing = tracing;
    this.auth = auth;
    this.rateLimits = rateLimits;
    this.snapshots = snapshots;
    this.endpoints = endpoints;
    this.proxy = proxy;
  }

  void handle(HttpServerRequest req) {
    if (ProblemResponder.isClosing(req.connection())) {
      return; // bytes behind a refused request, parsed ahead (pipelining): not a request; the connection is closing
    }
    RequestContext ctx = new RequestContext(req, RequestIdHeader.of(req), System.nanoTime());
    if (tracing != null) {
      tracing.start(ctx);
    }
    ctx.put(AuthRuntime.KEY, auth);
    ctx.put(RateLimitRuntime.KEY, rateLimits);
    req.pause();
    req.response().endHandler(v -> finished(ctx));
    // HTTP/2 calls the close handler when a stream completes normally too: finished() tells the two apart.
    req.response().closeHandler(v -> finished(ctx));
    try {
      serve(req, ctx);
    } catch (RuntimeException e) {
      LOG.error("request {} failed inside the gateway", ctx.requestId(), e);
      reject(ctx, GatewayFailure.of(ProblemType.INTERNAL_ERROR, "the gateway failed to handle the request"));
    }
  }

  private void serve(HttpServerRequest req, RequestContext ctx) {
    ConfigSnapshot snapshot = snapshots.get();

    GatewayFailure framing = Framing.check(req);
    if (framing != null) {
      reject(ctx, framing);
      return;
    }
    try {
      ctx.normalizedPath(PathNormalizer.normalize(req.path(), snapshot == null
          ? io.tollgate.config.ListenerConfig.EscapedSlashes.REJECT : snapshot.escapedSlashes()));
    } catch (BadPathException e) {
      reject(ctx, GatewayFailure.of(ProblemType.INVALID_PATH, e.getMessage()));
      return;
    }
    if (!QueryText.isClean(req.query())) {
      reject(ctx, GatewayFailure.of(ProblemType.BAD_REQUEST, "invalid character in query"));
      return;
    }
    if (GatewayEndpoints.owns(ctx.normalizedPath())) {
      metrics.gatewayEndpoint(ctx);
      endpoints.serve(ctx, snapshot);
      return;
    }
    if (snapshot == null) {
      reject(ctx, GatewayFailure.of(ProblemType.NOT_READY, "no configuration loaded yet")
          .withHeader("Retry-After", "1"));
      return;
    }
    RouteMatch<CompiledRoute> match = snapshot.routes().match(req.method().name(), host(req), ctx.normalizedPath());
    if (match instanceof RouteMatch.Found<CompiledRoute> found) {
      ctx.matched(found.route(), found.params());
      Tracing.routeMatched(ctx, req.method().name(), found.route().config().path());
      metrics.routeMatched(ctx);
    } else if (match instanceof RouteMatch.MethodNotAllowed<CompiledRoute> mna) {
      reject(ctx, GatewayFailure.of(ProblemType.METHOD_NOT_ALLOWED,
          "method " + req.method().name() + " is not allowed here").withHeader("Allow", mna.allowHeader()));
      return;
    } else {
      reject(ctx, GatewayFailure.of(ProblemType.ROUTE_NOT_FOUND, "no route for " + ctx.normalizedPath()));
      return;
    }

    CompiledRoute route = ctx.route();
    boolean webSocket = WebSocketProxy.isUpgrade(req, route);
    if (webSocket) {
      WebSocketProxy.beforePolicies(ctx);
    }
    if (route.policies().isEmpty()) {
      forward(ctx, snapshot, webSocket);
      return;
    }
    route.policies().onRequest(ctx).onComplete(ar -> {
      Outcome outcome = ar.result();
      if (ctx.clientGone()) {
        return; // nobody to answer (e.g. the client left while queued for a concurrency slot)
      }
      if (outcome instanceof Outcome.Respond respond) {
        reject(ctx, respond.failure());
      } else {
        forward(ctx, snapshot, webSocket);
      }
    });
  }

  /** The last step: an upgrade on a WebSocket route is relayed as a WebSocket, anything else proxied as HTTP. */
  private void forward(RequestContext ctx, ConfigSnapshot snapshot, boolean webSocket) {
    if (webSocket) {
      webSockets.invoke(ctx, snapshot.trustedProxies(), () -> finished(ctx));
    } else {
      proxy.invoke(ctx, snapshot.trustedProxies());
    }
  }

  private static String host(HttpServerRequest req) {
    var authority = req.authority();
    return authority == null ? null : authority.host();
  }

  private static void reject(RequestContext ctx, GatewayFailure failure) {
    ProblemResponder.respond(ctx, failure);
  }

  private void finished(RequestContext ctx) {
    if (!ctx.response().ended()) {
      // Vert.x also calls the end handler when the connection drops mid-response (before the close handler).
      ctx.clientClosed();
    }
    if (ctx.finish()) {
      metrics.finished(ctx);
      Tracing.finished(ctx, ctx.response().headWritten() ? ctx.response().getStatusCode() : 0);
      AccessLog.log(ctx);
    }
  }
}
