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

  /**
   * {@code uri} (path and optional query) without any {@code name} parameter, compared after percent-decoding; the
   * other parameters keep their order and encoding. Null name = unchanged.
   */
  public static String withoutParameter(String uri, String name) {
    int q = uri.indexOf('?');
    if (name == null || q < 0) {
      return uri;
    }
    StringBuilder kept = new StringBuilder();
    for (String pair : uri.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      if (!pair.isEmpty() && !key.equals(name)) {
        kept.append(kept.length() == 0 ? "" : "&").append(pair);
      }
    }
    return kept.length() == 0 ? uri.substring(0, q) : uri.substring(0, q + 1) + kept;
  }

  /** A query component percent-decoded ({@code +} as space); as written when its escapes are malformed. */
  public static String decode(String s) {
    try {
      return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s; // malformed escapes: compare as written
    }
  }
}
