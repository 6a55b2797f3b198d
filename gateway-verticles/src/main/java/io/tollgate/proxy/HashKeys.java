package io.tollgate.proxy;

import io.tollgate.config.HashOn;
import io.tollgate.upstream.ServiceTargets;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * A request's key for the {@code consistent-hash} balancer ({@code loadBalancer.hashOn}), hashed without copying it.
 * Runs on the request's event loop; the key is hashed where it lies in the header, never copied.
 */
public final class HashKeys {

  private HashKeys() {
  }

  /**
   * The hash of {@code request}'s key, or {@link ServiceTargets#NO_HASH} when the service hashes nothing
   * ({@code on} null) or the request has no (or an empty) key: then the service balances it as {@code least-request}.
   * A header's first value; a cookie's first occurrence in the {@code Cookie} header(s) (RFC 6265 §5.4, as sent
   * over HTTP/2 possibly in several fields); the client's address after trusted proxies.
   */
  public static long of(HashOn on, HttpServerRequest request, TrustedProxies trusted) {
    if (on == null) {
      return ServiceTargets.NO_HASH;
    }
    return switch (on.source()) {
      case HEADER -> whole(request.getHeader(on.name()));
      case COOKIE -> cookie(request.headers().getAll(HttpHeaders.COOKIE), on.name());
      case IP -> {
        String address = ClientAddress.of(request, trusted);
        yield "unknown".equals(address) ? ServiceTargets.NO_HASH : whole(address);
      }
    };
  }

  private static long whole(String value) {
    return value == null || value.isEmpty() ? ServiceTargets.NO_HASH
        : ServiceTargets.hashKey(value, 0, value.length());
  }

  /** The hash of cookie {@code name}'s value in {@code headers}; {@link ServiceTargets#NO_HASH} when absent or empty. */
  static long cookie(List<String> headers, String name) {
    for (String header : headers) {
      int i = 0;
      int n = header.length();
      while (i < n) {
        while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == ';')) {
          i++;
        }
        int end = header.indexOf(';', i);
        end = end < 0 ? n : end;
        int eq = header.indexOf('=', i);
        if (eq > i && eq < end && eq - i == name.length() && header.regionMatches(i, name, 0, name.length())) {
          int from = eq + 1;
          int to = end;
          while (to > from && header.charAt(to - 1) == ' ') {
            to--;
          }
          if (to - from >= 2 && header.charAt(from) == '"' && header.charAt(to - 1) == '"') {
            from++;
            to--;
          }
          return to > from ? ServiceTargets.hashKey(header, from, to) : ServiceTargets.NO_HASH;
        }
        i = end + 1;
      }
    }
    return ServiceTargets.NO_HASH;
  }
}
