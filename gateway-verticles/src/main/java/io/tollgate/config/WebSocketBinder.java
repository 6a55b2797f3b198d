package io.tollgate.config;

/** Binds a route's {@code websocket:} section. */
final class WebSocketBinder {

  private WebSocketBinder() {
  }

  /** The route's WebSocket settings, or {@code null} when it has no {@code websocket:} section. */
  static WebSocketConfig route(Fields route) {
    ConfigNode node = route.get("websocket");
    if (node == null) {
      return null; // absent (or YAML null); `websocket: {}` enables WebSockets with the defaults
    }
    Fields f = node.fields("tokenQueryParameter", "tokenSubprotocolPrefix", "maxMessageSize", "idleTimeout",
        "maxConnections", "maxConnectionsPerClient");
    WebSocketConfig d = WebSocketConfig.DEFAULT;
    String parameter = f.string("tokenQueryParameter", null);
    if (parameter != null && !Syntax.isToken(parameter)) {
      f.error("tokenQueryParameter", "invalid query parameter name '" + parameter + "'");
    }
    String prefix = f.string("tokenSubprotocolPrefix", null);
    // RFC 6455 §4.1: a subprotocol is an RFC 2616 token, so the prefix must be one too.
    if (prefix != null && !Syntax.isToken(prefix)) {
      f.error("tokenSubprotocolPrefix", "invalid subprotocol prefix '" + prefix + "' (expected token characters)");
    }
    return new WebSocketConfig(parameter, prefix,
        f.size("maxMessageSize", d.maxMessageSize(), 1, Integer.MAX_VALUE),
        f.duration("idleTimeout", d.idleTimeout()),
        f.integer("maxConnections", d.maxConnections(), 0, Integer.MAX_VALUE),
        f.integer("maxConnectionsPerClient", d.maxConnectionsPerClient(), 0, Integer.MAX_VALUE));
  }
}
