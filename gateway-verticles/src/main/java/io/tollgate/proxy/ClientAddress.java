package io.tollgate.proxy;

import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * The client's IP address as far as the gateway can trust it: the TCP peer, unless the peer is a
 * {@link TrustedProxies trusted proxy}; then the right-most {@code X-Forwarded-For} entry that is not itself a
 * trusted proxy (entries to its left were written by the client and can be forged). Used as a rate-limit key.
 *
 * <p>Hops are normalised as load balancers write them: {@code 203.0.113.7:51234} and {@code [2001:db8::1]:443}
 * become the bare address (so every source port of one client is one client). A hop that is not an IP address
 * is returned as written; callers must not trust its shape.
 */
public final class ClientAddress {

  private ClientAddress() {
  }

  /** The address as a literal, or {@code "unknown"} when the peer's address is not known. */
  public static String of(HttpServerRequest request, TrustedProxies trusted) {
    String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    if (peer == null) {
      return "unknown";
    }
    if (!trusted.contains(peer)) {
      return peer;
    }
    List<String> headers = request.headers().getAll(ForwardedHeaders.X_FORWARDED_FOR);
    String leftmost = null;
    for (int h = headers.size() - 1; h >= 0; h--) {
      String[] hops = headers.get(h).split(",");
      for (int i = hops.length - 1; i >= 0; i--) {
        String hop = address(hops[i].trim());
        if (hop.isEmpty()) {
          continue;
        }
        if (!trusted.contains(hop)) {
          return hop;
        }
        leftmost = hop;
      }
    }
    return leftmost != null ? leftmost : peer;
  }

  /** {@code hop} without brackets and port when it is {@code [v6]:port}, {@code [v6]} or {@code v4:port}. */
  static String address(String hop) {
    if (hop.startsWith("[")) {
      int close = hop.indexOf(']');
      return close > 0 ? hop.substring(1, close) : hop;
    }
    int colon = hop.indexOf(':');
    if (colon > 0 && colon == hop.lastIndexOf(':')
        && io.netty.util.NetUtil.isValidIpV4Address(hop.substring(0, colon))) {
      return hop.substring(0, colon);
    }
    return hop;
  }
}
