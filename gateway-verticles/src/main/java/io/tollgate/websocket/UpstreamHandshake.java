package io.tollgate.websocket;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.tollgate.config.TargetConfig;
import io.tollgate.config.WebSocketConfig;
import io.tollgate.pipeline.RequestContext;
import io.tollgate.observability.Tracing;
import io.tollgate.proxy.ProxyInvoker;
import io.tollgate.proxy.TrustedProxies;
import io.tollgate.routing.CompiledRoute;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.WebSocketConnectOptions;
import io.tollgate.proxy.HeaderNames;
import io.tollgate.proxy.HopByHopHeaders;
import java.util.List;
import java.util.Set;

/**
 * The upstream side of a WebSocket handshake: the same headers as a proxied HTTP request (hop-by-hop ones
 * stripped, {@code X-Forwarded-*} as for HTTP, request id, route and claim headers), minus the
 * {@code Sec-WebSocket-*} fields the upstream client negotiates itself; the client's offered subprotocols without a
 * token entry; the upstream URI of the route (which never carries the token query parameter).
 */
final class UpstreamHandshake {

  /** Negotiated per connection by the WebSocket client (key, version, extensions) or set from the offer list. */
  private static final List<CharSequence> NEGOTIATED = List.of(HttpHeaderNames.SEC_WEBSOCKET_KEY,
      HttpHeaderNames.SEC_WEBSOCKET_VERSION, HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS,
      HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);

  /**
   * Upstream handshake-response headers the gateway does not pass to the client: those it sets itself (its own
   * accept key, the selected subprotocol, the request id) or that describe the upstream's message framing.
   */
  static final HeaderNames RESPONSE_NOT_RELAYED = HopByHopHeaders.notCopied(Set.of(
      "sec-websocket-accept", "sec-websocket-protocol", "sec-websocket-extensions", "content-length",
      "x-request-id"));

  private UpstreamHandshake() {
  }

  /** As {@link #options}, or null when a client header value cannot be sent over HTTP/1.1. */
  static WebSocketConnectOptions optionsOrNull(RequestContext ctx, CompiledRoute route, TargetConfig target,
      TrustedProxies trusted) {
    try {
      return options(ctx, route, target, trusted);
    } catch (IllegalArgumentException e) {
      return null; // HTTP/2 lets control characters into header values
    }
  }

  /**
   * @throws IllegalArgumentException when a client header value cannot be sent over HTTP/1.1
   */
  static WebSocketConnectOptions options(RequestContext ctx, CompiledRoute route, TargetConfig target,
      TrustedProxies trusted) {
    WebSocketConfig config = route.config().websocket();
    MultiMap headers = ProxyInvoker.upstreamHeaders(ctx, route, trusted);
    NEGOTIATED.forEach(headers::remove);
    if (route.preserveHost() && ctx.request().authority() != null) {
      headers.set(HttpHeaders.HOST, ctx.request().authority().toString()); // Netty keeps a Host it is given
    }
    String uri = route.upstreamUri(target, ctx); // without the token parameter
    Tracing.attemptStarted(ctx, headers, target.ssl(), target.host(), target.port(), uri);
    List<String> subprotocols = HandshakeToken.withoutToken(
        HandshakeToken.offered(ctx.request().headers()), config.tokenSubprotocolPrefix());
    return new WebSocketConnectOptions()
        .setHost(target.host())
        .setPort(target.port())
        .setSsl(target.ssl())
        .setURI(uri)
        .setConnectTimeout(route.connectTimeoutMs())
        // Time for the upstream's 101 once connected, like the response timeout for HTTP.
        .setTimeout(route.responseTimeoutMs())
        // Netty drops Origin unless allowed, and generates one when allowed but absent: pass the client's as is.
        .setAllowOriginHeader(headers.contains(HttpHeaders.ORIGIN))
        .setHeaders(headers)
        .setSubProtocols(subprotocols);
  }
}
