package io.tollgate.ingress;

import io.tollgate.auth.AuthRuntime;
import io.tollgate.auth.keys.AuthKeysFeed;
import io.tollgate.config.ListenerConfig;
import io.tollgate.health.GatewayEndpoints;
import io.tollgate.health.GatewayState;
import io.tollgate.observability.GatewayMetrics;
import io.tollgate.pipeline.Deadlines;
import io.tollgate.proxy.ProxyInvoker;
import io.tollgate.proxy.UpstreamClients;
import io.tollgate.ratelimit.RateLimitRuntime;
import io.tollgate.sync.ConfigSnapshot;
import io.tollgate.sync.SnapshotFeed;
import io.tollgate.websocket.WebSocketProxy;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.ContextInternal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data plane: one instance per event loop, all sharing the listener port (Vert.x balances connections across
 * them). Each instance owns its HTTP server and its own upstream clients, so a request never changes thread.
 *
 * <p>Config arrives over the event bus (control plane): the instance asks for the current snapshot in
 * {@link #start()} — closing the race with a snapshot published during deployment — and swaps its field when a
 * newer version is published. Nothing goes over the event bus per request.
 *
 * <p>{@link #stop()} drains: the server stops accepting, in-flight requests get up to the configured drain
 * timeout to finish.
 */
public final class HttpIngressVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(HttpIngressVerticle.class);

  private static final long PROBE_MS = 100;

  private final GatewayState state;
  private final int port;
  private ConfigSnapshot snapshot;
  private UpstreamClients clients;
  private RateLimitRuntime rateLimits;
  private HttpServer server;
  private WebSocketProxy webSockets;

  /**
   * @param port the port to listen on; must be the same for every instance (resolve port 0 before deploying)
   */
  public HttpIngressVerticle(GatewayState state, int port) {
    this.state = state;
    this.port = port;
  }

  @Override
  public Future<?> start() {
    clients = new UpstreamClients(vertx);
    AuthRuntime auth = new AuthRuntime(vertx, state.counters());
    probeEventLoop(state.metrics().eventLoopDelay());
    rateLimits = new RateLimitRuntime(context, state.rateLimits(), state.counters(), state.metrics().redisDecisions());
    GatewayMetrics metrics = state.metrics();
    return AuthKeysFeed.follow(vertx, auth::keys)
        .compose(keys -> SnapshotFeed.follow(vertx, this::apply))
        .compose(ready -> {
          ListenerConfig listener = snapshot.config().listener();
          webSockets = new WebSocketProxy(vertx, state.webSockets(), listener);
          ProxyInvoker proxy = new ProxyInvoker(vertx, clients, new Deadlines((ContextInternal) context));
          IngressHandler handler = new IngressHandler(() -> snapshot, new GatewayEndpoints(state), proxy, webSockets,
              auth, rateLimits, metrics, state.tracing());
          HttpServerOptions options = serverOptions(listener);
          server = vertx.createHttpServer(options)
              .requestHandler(handler::handle)
              .invalidRequestHandler(req -> InvalidRequests.handle(req, metrics));
          return server.listen(port, listener.host());
        });
  }

  /**
   * Event-loop health: a timer due every {@value #PROBE_MS} ms records how late it fired. A loop that is busy or
   * blocked runs it late; nothing is allocated per tick beyond the timer itself.
   */
  private void probeEventLoop(io.micrometer.core.instrument.Timer delay) {
    long[] due = {System.nanoTime() + PROBE_MS * 1_000_000};
    vertx.setPeriodic(PROBE_MS, id -> {
      long now = System.nanoTime();
      delay.record(Math.max(0, now - due[0]), TimeUnit.NANOSECONDS);
      due[0] = now + PROBE_MS * 1_000_000;
    });
  }

  private void apply(ConfigSnapshot next) {
    if (next != null && (snapshot == null || next.version() > snapshot.version())) {
      snapshot = next;
      clients.retainOnly(next.config().services().keySet());
      rateLimits.configure(next.config().rateLimiting().redis());
    }
  }

  static HttpServerOptions serverOptions(ListenerConfig listener) {
    return new HttpServerOptions()
        .setTcpNoDelay(true)
        .setTcpFastOpen(true)
        .setCompressionSupported(false)
        .setDecompressionSupported(false)
        .setHandle100ContinueAutomatically(false)
        .setMaxInitialLineLength(listener.maxInitialLineLength())
        .setMaxHeaderSize(listener.maxHeaderSize())
        .setIdleTimeout((int) listener.idleTimeout().toMillis())
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
        // WebSockets: frames are relayed one by one, so the frame cap bounds what one socket buffers; no
        // compression (it would be per hop anyway, and inflating is where size limits get bypassed).
        .setMaxWebSocketFrameSize(listener.maxWebSocketFrameSize())
        .setPerMessageWebSocketCompressionSupported(false)
        .setPerFrameWebSocketCompressionSupported(false);
  }

  @Override
  public Future<?> stop() {
    Duration drain = snapshot == null ? Duration.ZERO : snapshot.config().shutdown().drainTimeout();
    // Open WebSockets get a 1001 close while the server stops accepting and waits for HTTP requests in flight.
    Future<Void> sockets = webSockets == null ? Future.succeededFuture() : webSockets.goingAway(drain.toMillis());
    Future<Void> requests = server == null ? Future.succeededFuture()
        : server.shutdown(drain.toMillis(), TimeUnit.MILLISECONDS);
    Future<Void> closed = Future.join(sockets, requests).mapEmpty();
    return closed.onComplete(ar -> {
      if (webSockets != null) {
        webSockets.close();
      }
      if (ar.failed()) {
        LOG.warn("ingress did not drain cleanly", ar.cause());
      }
      clients.closeAll();
      rateLimits.close();
    });
  }
}
