package io.tollgate.proxy;

import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * The client's IP address as far as the gateway can trust it: the TCP peer, unless the peer is a
 * {@link TrustedProxies trusted proxy}; then the right-most {@code X-Forwarded-For} entry that is not itself a
 * trusted proxy (entries to its left were written by the client and can be forged). Used as a rate-limit key.
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
        String hop = hops[i].trim();
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
}
