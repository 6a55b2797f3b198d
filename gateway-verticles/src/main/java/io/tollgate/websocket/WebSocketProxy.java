package io.tollgate.websocket;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.timeout.IdleStateHandler;
import io.tollgate.config.ListenerConfig;
import io.tollgate.config.WebSocketConfig;
import io.tollgate.pipeline.GatewayFailure;
import io.tollgate.pipeline.RequestContext;
import io.tollgate.problem.ProblemResponder;
import io.tollgate.problem.ProblemType;
import io.tollgate.problem.RequestIdHeader;
import io.tollgate.proxy.ClientAddress;
import io.tollgate.proxy.HopByHopHeaders;
import io.tollgate.proxy.TrustedProxies;
import io.tollgate.proxy.UpstreamErrors;
import io.tollgate.routing.CompiledRoute;
import io.tollgate.upstream.Target;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketFrame;
import java.util.ArrayList;
import java.util.List;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.internal.http.WebSocketInternal;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The terminal step for WebSocket upgrades on routes with {@code websocket:} — the counterpart of
 * {@code ProxyInvoker} for HTTP. One instance per ingress instance, confined to its event loop.
 *
 * <p>Order: connection limits → pick a target (the service's balancer, ejected targets skipped) → WebSocket
 * handshake with the upstream → only then the client's 101, answering with the subprotocol the upstream selected
 * and the upstream's end-to-end response headers → {@link WebSocketRelay}. So a client never holds an open socket
 * to nothing: an upstream that refuses the upgrade has its answer (status, headers, body) relayed, one that cannot be
 * reached gets the usual problem response (502/503/504).
 *
 * <p>A relay keeps the compiled route it started with; a config reload never touches it. {@link #goingAway}
 * closes every open socket with 1001 (graceful shutdown); from then on, upgrades are refused with 503
 * {@code shutting-down} and a socket whose handshake was under way is closed with 1001 as soon as it opens.
 */
public final class WebSocketProxy {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketProxy.class);
  private static final String GOING_AWAY_REASON = "gateway shutting down";

  private final Vertx vertx;
  private final WebSocketNode node;
  /** Frames held for the relay while the client's handshake completes; the upstream is paused beyond this. */
  private static final int EARLY_FRAMES = 64;
  private final WebSocketClient client;
  private final Set<WebSocketRelay> open = new HashSet<>();
  private Promise<Void> allClosed;
  private boolean draining;

  public WebSocketProxy(Vertx vertx, WebSocketNode node, ListenerConfig listener) {
    this.vertx = vertx;
    this.node = node;
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(listener.maxWebSocketFrameSize())
        // Messages are relayed frame by frame and never aggregated; the route's maxMessageSize is checked here.
        .setMaxMessageSize(Integer.MAX_VALUE)
        // Connections are bounded by the routes' maxConnections, not by a per-endpoint client pool.
        .setMaxConnections(Integer.MAX_VALUE)
        .setTryUsePerMessageCompression(false)
        .setTryUsePerFrameCompression(false)
        .setTcpNoDelay(true)
        .setName("upstream-websocket"));
  }

  /** Whether {@code req} asks to become a WebSocket on {@code route} (RFC 6455 §4.1: GET with Upgrade). */
  public static boolean isUpgrade(HttpServerRequest req, CompiledRoute route) {
    if (!route.config().isWebSocket()) {
      return false;
    }
    String upgrade = req.getHeader(HttpHeaders.UPGRADE);
    return upgrade != null && upgrade.toLowerCase(Locale.ROOT).contains("websocket");
  }

  /**
   * Before the route's policies run: presents a bearer token from the query or subprotocol list (if the route
   * allows it) as {@code Authorization}, so authentication treats it like a header token.
   */
  public static void beforePolicies(RequestContext ctx) {
    HttpServerRequest req = ctx.request();
    HandshakeToken.promote(req.headers(), req.query(), ctx.route().config().websocket());
  }

  /**
   * Proxies {@code ctx}'s upgrade request (policies passed) to a target of its route.
   *
   * @param answered runs once the client's handshake is answered (101 or an error), to log and measure it
   */
  public void invoke(RequestContext ctx, TrustedProxies trusted, Runnable answered) {
    HttpServerRequest req = ctx.request();
    CompiledRoute route = ctx.route();
    WebSocketConfig config = route.config().websocket();
    if (draining) {
      ProblemResponder.respond(ctx, GatewayFailure.of(ProblemType.SHUTTING_DOWN, "the gateway is shutting down")
          .withHeader("Retry-After", "1"));
      return;
    }
    String clientAddress = ClientAddress.of(req, trusted);
    GatewayFailure refused = node.limits().tryAcquire(route.id(), clientAddress, config);
    if (refused != null) {
      ProblemResponder.respond(ctx, refused);
      return;
    }
    Target target = route.pickTarget(io.tollgate.proxy.HashKeys.of(route.service().hashOn(), req, trusted));
    if (target == null) {
      // Every target's circuit is open: as for HTTP, but a handshake has no fallback response.
      node.limits().release(route.id(), clientAddress);
      if (!route.hasTargets()) {
        ProblemResponder.respond(ctx, io.tollgate.proxy.ProxyInvoker.noTargets(route));
        return;
      }
      ProblemResponder.respond(ctx, GatewayFailure.of(ProblemType.CIRCUIT_OPEN, "every target of service '"
              + route.service().name() + "' has an open circuit")
          .withHeader("Retry-After", String.valueOf(Math.max(1, (route.openCircuitMillis() + 999) / 1000))));
      return;
    }
    ctx.upstream(target.address());
    target.health().acquire();
    Runnable releaseTarget = target.health().release();
    Runnable release = () -> {
      releaseTarget.run();
      node.limits().release(route.id(), clientAddress);
    };
    var options = UpstreamHandshake.optionsOrNull(ctx, route, target.config(), trusted);
    if (options == null) {
      release.run();
      ProblemResponder.respond(ctx, GatewayFailure.of(ProblemType.BAD_REQUEST, "invalid header value"));
      return;
    }
    long handshakeStart = System.nanoTime();
    // Frames the upstream sends right behind its 101 can arrive before the connect future completes: collect them
    // (a handler set before connecting is installed with the socket) and replay them when the relay starts.
    // Not paused: a paused socket that the upstream closes (e.g. after a frame over the cap) drops what it held, so
    // a greeting could be lost. Bounded instead: past EARLY_FRAMES the socket is paused after all.
    List<WebSocketFrame> early = new ArrayList<>();
    ClientWebSocket connecting = client.webSocket();
    connecting.frameHandler(frame -> {
      early.add(frame);
      if (early.size() == EARLY_FRAMES) {
        connecting.pause();
      }
    });
    connecting.connect(options).onComplete(ar -> {
      if (ar.failed()) {
        release.run();
        upstreamRefused(ctx, target, ar.cause());
        return;
      }
      WebSocket upstream = ar.result();
      // A frame over the cap before the relay exists is refused with 1009 and reported when the relay starts.
      FrameRefusal.install(upstream, null);
      target.succeeded(System.nanoTime() - handshakeStart);
      if (ctx.clientGone()) {
        upstream.close(CloseCodes.GOING_AWAY, "client left during the handshake");
        release.run();
        return;
      }
      accept(ctx, upstream, early, config, release, answered);
    });
  }

  private void accept(RequestContext ctx, WebSocket upstream, List<WebSocketFrame> early, WebSocketConfig config,
      Runnable release, Runnable answered) {
    HttpServerRequest req = ctx.request();
    MultiMap headers = req.response().headers();
    if (upstream.headers() != null) {
      HopByHopHeaders.copyEndToEnd(upstream.headers(), headers, UpstreamHandshake.RESPONSE_NOT_RELAYED);
    }
    if (upstream.subProtocol() != null && !upstream.subProtocol().isEmpty()) {
      // The server options select no subprotocol, so Netty leaves this one (RFC 6455 §4.2.2: one of the offers).
      headers.set(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL, upstream.subProtocol());
    }
    headers.set(RequestIdHeader.NAME, ctx.requestId());
    req.toWebSocket().onComplete(ar -> {
      answered.run();
      if (ar.failed()) {
        upstream.close(CloseCodes.GOING_AWAY, "client handshake failed");
        release.run();
        return;
      }
      ServerWebSocket socket = ar.result();
      removeListenerIdleTimeout(socket);
      WebSocketRelay[] relay = new WebSocketRelay[1];
      relay[0] = new WebSocketRelay(vertx, socket, upstream, node.meters().route(ctx.route().id()),
          config.maxMessageSize(), config.idleTimeout().toMillis(),
          new SessionLog(ctx.requestId(), ctx.route().id(), ctx.upstream()), early, () -> {
            release.run();
            open.remove(relay[0]);
            if (open.isEmpty() && allClosed != null) {
              allClosed.tryComplete();
            }
          });
      open.add(relay[0]);
      relay[0].start();
      if (draining) {
        relay[0].goingAway(GOING_AWAY_REASON); // the handshake was under way when the drain began
      }
    });
  }

  /**
   * The listener's idle timeout is for HTTP connections; an upgraded socket follows its route's idle timeout
   * (enforced by the relay), so the connection's idle handler goes. Vert.x has no public API for this.
   */
  private static void removeListenerIdleTimeout(ServerWebSocket socket) {
    if (socket instanceof WebSocketInternal internal) {
      var pipeline = internal.channelHandlerContext().pipeline();
      if (pipeline.get(IdleStateHandler.class) != null) {
        pipeline.remove(IdleStateHandler.class);
      }
    }
  }

  private static void upstreamRefused(RequestContext ctx, Target target, Throwable cause) {
    if (ctx.clientGone()) {
      return;
    }
    if (cause instanceof UpgradeRejectedException rejected) {
      // The upstream answered without upgrading: its answer is relayed, as for any proxied response.
      if (rejected.getStatus() >= 500) {
        target.failed();
      }
      HttpServerResponse response = ctx.response();
      response.setStatusCode(rejected.getStatus());
      HopByHopHeaders.copyEndToEnd(rejected.getHeaders(), response.headers(), UpstreamHandshake.RESPONSE_NOT_RELAYED);
      response.headers().set(RequestIdHeader.NAME, ctx.requestId());
      response.end(rejected.getBody() == null ? io.vertx.core.buffer.Buffer.buffer() : rejected.getBody());
      return;
    }
    target.failed();
    LOG.debug("request {}: WebSocket handshake with {} failed: {}", ctx.requestId(), ctx.upstream(),
        cause.toString());
    ProblemResponder.respond(ctx, UpstreamErrors.onConnect(ctx.route().service().name(), cause));
  }

  /**
   * Closes every open WebSocket with 1001 and completes when all have ended or after {@code timeoutMs}, whichever
   * is first (graceful shutdown: the drain timeout).
   */
  public Future<Void> goingAway(long timeoutMs) {
    draining = true;
    if (open.isEmpty()) {
      return Future.succeededFuture();
    }
    allClosed = Promise.promise();
    Promise<Void> done = allClosed;
    long timer = vertx.setTimer(Math.max(1, timeoutMs), id -> done.tryComplete());
    Set.copyOf(open).forEach(relay -> relay.goingAway(GOING_AWAY_REASON));
    return done.future().onComplete(ar -> vertx.cancelTimer(timer));
  }

  /** Closes the upstream WebSocket client (after {@link #goingAway}). */
  public Future<Void> close() {
    return client.close();
  }
}
