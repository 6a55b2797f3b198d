package io.tollgate.testkit.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * A server given as {@code postgresql://user:password@host:port/database} (or {@code postgres://}). Port
 * defaults to 5432, database to {@code postgres}, user to {@code postgres}, password to empty; user info is
 * percent-decoded. Query parameters are not supported (the test kit connects without TLS).
 */
record PgUrl(String host, int port, String database, String user, String password) {

  static PgUrl parse(String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a postgresql:// URL: " + redacted(url), e);
    }
    String scheme = uri.getScheme();
    if (!"postgresql".equals(scheme) && !"postgres".equals(scheme)) {
      throw new IllegalArgumentException("expected postgresql://user:password@host:port/database, got "
          + redacted(url));
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("no host in " + redacted(url));
    }
    if (uri.getRawQuery() != null) {
      throw new IllegalArgumentException("query parameters are not supported: " + redacted(url));
    }
    String user = "postgres";
    String password = "";
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    return new PgUrl(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(),
        path.isEmpty() ? "postgres" : path, user, password);
  }

  /** The URL with any password replaced by {@code ***}, for messages. */
  static String redacted(String url) {
    return url.replaceFirst("(://[^:/@]*:)[^@]*@", "$1***@");
  }

  private static String decode(String part) {
    return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
