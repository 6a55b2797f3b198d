package io.tollgate.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One compiled route at a trie leaf: its method and host filters, the names of its parameters (in the order the
 * trie captures them) and the caller's payload. Immutable.
 */
final class RouteEntry {

  /** {@link #hostRank} of a route with no host list. */
  static final int ANY_HOST = 0;
  /** {@link #hostRank} of an exact host match; wildcards rank by suffix length, so a longer suffix wins. */
  static final int EXACT_HOST = Integer.MAX_VALUE;

  final String id;
  final Object payload;
  final String[] paramNames;
  private final String[] methods;
  private final boolean getAllowed;
  private final String[] exactHosts;
  private final String[] wildcardSuffixes;

  RouteEntry(RouteSpec<?> spec, PathPattern pattern) {
    this.id = spec.id();
    this.payload = spec.payload();
    this.paramNames = pattern.paramNameArray();
    this.methods = spec.methods().toArray(new String[0]);
    this.getAllowed = spec.methods().contains("GET");
    List<String> exact = new ArrayList<>();
    List<String> wild = new ArrayList<>();
    for (String host : spec.hosts()) {
      String h = host.toLowerCase(Locale.ROOT);
      if (h.startsWith("*.") && h.length() > 2 && h.indexOf('*', 1) < 0) {
        wild.add(h.substring(1));
      } else if (!h.isEmpty() && h.indexOf('*') < 0) {
        exact.add(h);
      } else {
        throw new IllegalArgumentException("route '" + id + "': bad host '" + host
            + "' (use an exact name or *.example.com; no hosts means any host)");
      }
    }
    this.exactHosts = exact.toArray(new String[0]);
    this.wildcardSuffixes = wild.toArray(new String[0]);
  }

  /**
   * How specifically this route's host list matches {@code host}: {@link #EXACT_HOST}, the suffix length for a
   * wildcard, {@link #ANY_HOST} when the route takes any host, {@code -1} for no match. {@code host} is compared
   * ignoring ASCII case (only; no Unicode folding) and one trailing dot is ignored; a {@code null} host matches
   * only any-host routes.
   */
  int hostRank(String host) {
    if (exactHosts.length == 0 && wildcardSuffixes.length == 0) {
      return ANY_HOST;
    }
    if (host == null) {
      return -1;
    }
    int len = host.length();
    if (len > 0 && host.charAt(len - 1) == '.') {
      len--;
    }
    for (String exact : exactHosts) {
      if (exact.length() == len && equalsLowerAscii(host, 0, exact)) {
        return EXACT_HOST;
      }
    }
    int best = -1;
    for (String suffix : wildcardSuffixes) {
      int sl = suffix.length();
      if (len > sl && sl > best && equalsLowerAscii(host, len - sl, suffix)) {
        best = sl;
      }
    }
    return best;
  }

  /** Whether {@code method} is allowed; {@code HEAD} is allowed wherever {@code GET} is (RFC 9110 §9.3.2). */
  boolean allows(String method) {
    if (methods.length == 0) {
      return true;
    }
    for (String m : methods) {
      if (m.equals(method)) {
        return true;
      }
    }
    return getAllowed && "HEAD".equals(method);
  }

  void addMethodsTo(Set<String> into) {
    for (String m : methods) {
      into.add(m);
    }
  }

  /** {@code s[offset, offset + lower.length())} equals {@code lower} after ASCII lower-casing of {@code s}. */
  private static boolean equalsLowerAscii(String s, int offset, String lower) {
    for (int i = 0; i < lower.length(); i++) {
      char c = s.charAt(offset + i);
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      }
      if (c != lower.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
