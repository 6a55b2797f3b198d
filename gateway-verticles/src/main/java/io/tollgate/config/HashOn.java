package io.tollgate.config;

import java.util.Locale;

/**
 * What the {@code consistent-hash} balancer hashes ({@code services.<name>.loadBalancer.hashOn}): a request header,
 * a cookie, or the client's address.
 *
 * @param source where the key comes from
 * @param name   the header or cookie name (headers compare case-insensitively); {@code ""} for {@link Source#IP}
 */
public record HashOn(Source source, String name) {

  /** Where a request's hash key is read. */
  public enum Source {
    /** The first value of a request header, e.g. {@code header:X-User}. */
    HEADER,
    /** A cookie of the {@code Cookie} header, e.g. {@code cookie:session}. */
    COOKIE,
    /** The client's address (after trusted proxies, as in access logs and rate limits): {@code ip}. */
    IP
  }

  /** The YAML spelling, e.g. {@code header:X-User}. */
  public String configText() {
    return source == Source.IP ? "ip" : source.name().toLowerCase(Locale.ROOT) + ":" + name;
  }

  /** Parses the YAML spelling; null when invalid. */
  static HashOn parse(String text) {
    if (text.equalsIgnoreCase("ip")) {
      return new HashOn(Source.IP, "");
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String kind = text.substring(0, colon).toLowerCase(Locale.ROOT);
    String name = text.substring(colon + 1);
    // RFC 9110 §5.6.2 token: header field names and cookie names (RFC 6265 §4.1.1) are tokens.
    if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
      return null;
    }
    return switch (kind) {
      case "header" -> new HashOn(Source.HEADER, name);
      case "cookie" -> new HashOn(Source.COOKIE, name);
      default -> null;
    };
  }
}
