package io.tollgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses upstream target URLs such as {@code http://10.0.0.5:9001/base}. */
final class TargetUrls {

  /** host or [IPv6], then an optional port; URI's own parser rejects '_' in host names, so parse it here. */
  private static final Pattern AUTHORITY = Pattern.compile("(\\[[^\\]]*\\]|[^:\\[\\]]+)(?::([0-9]*))?");

  private TargetUrls() {
  }

  /**
   * @return the target; the port defaults by scheme and the base path loses its trailing {@code /}
   * @throws IllegalArgumentException {@code bad URL '...': reason}
   */
  static TargetConfig parse(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw bad(url, e.getReason().toLowerCase(Locale.ROOT) + " at index " + e.getIndex());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw bad(url, "must be an absolute http:// or https:// URL");
    }
    String authority = uri.getRawAuthority();
    if (authority == null) {
      throw bad(url, "has no host");
    }
    if (authority.contains("@")) {
      throw bad(url, "must not contain user info (put credentials in headers)");
    }
    if (uri.getRawQuery() != null) {
      throw bad(url, "must not have a query (use a route's rewrite.setQuery)");
    }
    if (uri.getRawFragment() != null) {
      throw bad(url, "must not have a fragment");
    }
    Matcher m = AUTHORITY.matcher(authority);
    if (!m.matches()) {
      throw bad(url, "invalid host or port");
    }
    boolean ssl = scheme.equals("https");
    return new TargetConfig(url, ssl, host(url, m.group(1)), port(url, m.group(2), ssl ? 443 : 80),
        basePath(uri.getRawPath()));
  }

  private static String host(String url, String host) {
    if (host.startsWith("[")) {
      String literal = host.substring(1, host.length() - 1);
      if (!literal.contains(":") || IpAddresses.parse(literal) == null) {
        throw bad(url, "invalid IPv6 address '" + host + "'");
      }
      return literal;
    }
    boolean looksNumeric = host.matches("[0-9.]+");
    if (looksNumeric ? IpAddresses.parse(host) == null : !Syntax.isHostName(host)) {
      throw bad(url, "invalid host '" + host + "'");
    }
    return host;
  }

  private static int port(String url, String port, int fallback) {
    if (port == null || port.isEmpty()) {
      return fallback;
    }
    if (port.length() > 5 || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65_535) {
      throw bad(url, "port must be between 1 and 65535");
    }
    return Integer.parseInt(port);
  }

  private static String basePath(String path) {
    String base = path == null ? "" : path;
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base;
  }

  private static IllegalArgumentException bad(String url, String reason) {
    return new IllegalArgumentException("bad URL '" + url + "': " + reason);
  }
}
