package io.tollgate.routing;

/**
 * The raw query string is forwarded as the client sent it (so upstreams see their own encoding), but only if it
 * holds nothing that could corrupt the upstream request line: no control characters, spaces or non-ASCII bytes
 * (RFC 3986 §3.4 allows only printable ASCII there; everything else must be percent-encoded).
 */
public final class QueryText {

  private QueryText() {
  }

  /** True for null, empty, or printable-ASCII-only query strings. */
  public static boolean isClean(String query) {
    if (query == null) {
      return true;
    }
    for (int i = 0; i < query.length(); i++) {
      char c = query.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }
}
