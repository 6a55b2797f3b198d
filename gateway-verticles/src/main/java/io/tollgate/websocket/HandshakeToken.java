package io.tollgate.websocket;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.tollgate.config.WebSocketConfig;
import io.tollgate.routing.QueryText;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a browser's bearer token travels in a WebSocket handshake when it cannot set {@code Authorization}: a query
 * parameter or an offered {@code Sec-WebSocket-Protocol} entry (see {@link WebSocketConfig}). Pure functions; the
 * token is never logged and never forwarded where it was found.
 */
final class HandshakeToken {

  private static final String BEARER = "Bearer ";

  private HandshakeToken() {
  }

  /**
   * Presents a token found in the query or subprotocols as {@code Authorization: Bearer}, so that the route's
   * authentication verifies it like any bearer token. A request that sends {@code Authorization} keeps its own.
   */
  static void promote(MultiMap requestHeaders, String query, WebSocketConfig config) {
    if (requestHeaders.contains(HttpHeaders.AUTHORIZATION)) {
      return;
    }
    String token = config.tokenSubprotocolPrefix() == null ? null
        : fromSubprotocols(offered(requestHeaders), config.tokenSubprotocolPrefix());
    if (token == null && config.tokenQueryParameter() != null) {
      token = fromQuery(query, config.tokenQueryParameter());
    }
    if (token != null && !token.isEmpty()) {
      requestHeaders.set(HttpHeaders.AUTHORIZATION, BEARER + token);
    }
  }

  /** The subprotocols a client offered, in its order (all {@code Sec-WebSocket-Protocol} fields, comma-split). */
  static List<String> offered(MultiMap headers) {
    List<String> offered = new ArrayList<>();
    for (String field : headers.getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)) {
      for (String item : field.split(",")) {
        String p = item.trim();
        if (!p.isEmpty()) {
          offered.add(p);
        }
      }
    }
    return offered;
  }

  /** The remainder of the first offered subprotocol starting with {@code prefix}, or null. */
  static String fromSubprotocols(List<String> offered, String prefix) {
    for (String p : offered) {
      if (p.startsWith(prefix) && p.length() > prefix.length()) {
        return p.substring(prefix.length());
      }
    }
    return null;
  }

  /** {@code offered} without token entries (those starting with {@code prefix}); unchanged when prefix is null. */
  static List<String> withoutToken(List<String> offered, String prefix) {
    if (prefix == null) {
      return offered;
    }
    List<String> kept = new ArrayList<>(offered.size());
    for (String p : offered) {
      if (!p.startsWith(prefix)) {
        kept.add(p);
      }
    }
    return kept;
  }

  /** The decoded value of the first {@code name} parameter in {@code query}, or null. */
  static String fromQuery(String query, String name) {
    if (query == null) {
      return null;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && QueryText.decode(pair.substring(0, eq)).equals(name)) {
        return QueryText.decode(pair.substring(eq + 1));
      }
    }
    return null;
  }

}
