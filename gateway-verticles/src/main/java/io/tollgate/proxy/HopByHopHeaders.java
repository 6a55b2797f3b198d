package io.tollgate.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.Locale;
import java.util.Set;

/**
 * Copies headers from one message to the next hop, dropping hop-by-hop fields (RFC 9110 §7.6.1): the fixed
 * list below plus every field named in {@code Connection}. Used in both directions (client → upstream and
 * upstream → client).
 */
public final class HopByHopHeaders {

  /** Always hop-by-hop, whatever {@code Connection} says. {@code Proxy-Connection} is a non-standard relic. */
  private static final Set<String> ALWAYS = Set.of(
      "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
      "te", "trailer", "transfer-encoding", "upgrade", "http2-settings");

  private HopByHopHeaders() {
  }

  /**
   * Copies every end-to-end header from {@code from} into {@code to} (appending, keeping duplicates and order),
   * except hop-by-hop ones and those named in {@code skip} (lower-case names of fields the caller sets itself).
   */
  public static void copyEndToEnd(MultiMap from, MultiMap to, Set<String> skip) {
    Set<String> listed = connectionListed(from);
    for (var entry : from) {
      String name = entry.getKey();
      String lower = lower(name);
      if (ALWAYS.contains(lower) || skip.contains(lower) || (listed != null && listed.contains(lower))) {
        continue;
      }
      to.add(name, entry.getValue());
    }
  }

  /** Lower-case names listed in all {@code Connection} fields, or null when there are none (the common case). */
  static Set<String> connectionListed(MultiMap headers) {
    var values = headers.getAll(HttpHeaders.CONNECTION);
    if (values.isEmpty()) {
      return null;
    }
    var names = new java.util.HashSet<String>();
    for (String v : values) {
      for (String token : v.split(",")) {
        String t = token.trim();
        if (!t.isEmpty()) {
          names.add(t.toLowerCase(Locale.ROOT));
        }
      }
    }
    return names;
  }

  static boolean isHopByHop(String lowerName) {
    return ALWAYS.contains(lowerName);
  }

  private static String lower(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        return name.toLowerCase(Locale.ROOT);
      }
    }
    return name;
  }
}
