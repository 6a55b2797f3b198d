package io.tollgate.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.Set;

/**
 * Copies headers from one message to the next hop, dropping hop-by-hop fields (RFC 9110 §7.6.1): the fixed
 * list below plus every field named in {@code Connection}. Used in both directions (client → upstream and
 * upstream → client).
 */
public final class HopByHopHeaders {

  /** Always hop-by-hop, whatever {@code Connection} says. {@code Proxy-Connection} is a non-standard relic. */
  private static final Set<String> ALWAYS = caseInsensitive(Set.of(
      "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
      "te", "trailer", "transfer-encoding", "upgrade", "http2-settings"));

  private HopByHopHeaders() {
  }

  /**
   * Copies every end-to-end header from {@code from} into {@code to} (appending, keeping duplicates and order),
   * except hop-by-hop ones and those named in {@code skip} (lower-case names of fields the caller sets itself).
   */
  public static void copyEndToEnd(MultiMap from, MultiMap to, Set<String> skip) {
    // Hot path: no per-header lower-casing. Names are compared case-insensitively in sorted sets.
    Set<String> listed = from.contains(HttpHeaders.CONNECTION) ? connectionListed(from) : null;
    Set<String> skipped = skip.isEmpty() || isCaseInsensitive(skip) ? skip : caseInsensitive(skip);
    for (var entry : from) {
      String name = entry.getKey();
      if (ALWAYS.contains(name) || skipped.contains(name) || (listed != null && listed.contains(name))) {
        continue;
      }
      to.add(name, entry.getValue());
    }
  }

  /** A case-insensitive copy of {@code names}, for {@link #copyEndToEnd}'s {@code skip}; build it once, reuse it. */
  public static Set<String> caseInsensitive(Set<String> names) {
    java.util.TreeSet<String> set = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(names);
    return java.util.Collections.unmodifiableSortedSet(set);
  }

  private static boolean isCaseInsensitive(Set<String> set) {
    return set instanceof java.util.SortedSet<String> sorted && sorted.comparator() == String.CASE_INSENSITIVE_ORDER;
  }

  /** Lower-case names listed in all {@code Connection} fields, or null when there are none (the common case). */
  static Set<String> connectionListed(MultiMap headers) {
    var values = headers.getAll(HttpHeaders.CONNECTION);
    if (values.isEmpty()) {
      return null;
    }
    var names = new java.util.TreeSet<String>(String.CASE_INSENSITIVE_ORDER);
    for (String v : values) {
      for (String token : v.split(",")) {
        String t = token.trim();
        if (!t.isEmpty()) {
          names.add(t);
        }
      }
    }
    return names;
  }


}
