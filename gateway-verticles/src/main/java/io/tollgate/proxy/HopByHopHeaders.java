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
  public static final HeaderNames ALWAYS = HeaderNames.of(Set.of(
      "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "proxy-connection",
      "te", "trailer", "transfer-encoding", "upgrade", "http2-settings"));

  private HopByHopHeaders() {
  }

  /** The names a copy leaves out: the hop-by-hop ones plus {@code extra}. Build it once (at compile), reuse it. */
  public static HeaderNames notCopied(Set<String> extra) {
    return ALWAYS.with(extra);
  }

  /**
   * Copies every end-to-end header from {@code from} into {@code to} (appending, keeping duplicates and order),
   * except those in {@code notCopied} (from {@link #notCopied}, so hop-by-hop ones included) and those named in
   * {@code Connection}.
   */
  public static void copyEndToEnd(MultiMap from, MultiMap to, HeaderNames notCopied) {
    // Hot path: one case-insensitive hash lookup per header, no lower-casing, no allocation.
    Set<String> listed = from.contains(HttpHeaders.CONNECTION) ? connectionListed(from) : null;
    for (var entry : from) {
      String name = entry.getKey();
      if (notCopied.contains(name) || (listed != null && listed.contains(name))) {
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
