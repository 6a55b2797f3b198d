package io.tollgate.testkit.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Parses {@code redis://[[user]:password@]host[:port][/database]}: port defaults to 6379, database to 0.
 * TLS ({@code rediss://}) and query parameters are not supported.
 */
final class RedisUrl {

  private RedisUrl() {}

  static RedisEndpoint parse(String url) {
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a redis:// URL: " + redacted(url), e);
    }
    if (!"redis".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawQuery() != null) {
      throw new IllegalArgumentException("expected redis://[user:password@]host:port[/database], got "
          + redacted(url));
    }
    String user = "";
    String password = "";
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      if (colon < 0) {
        password = decode(userInfo); // redis://secret@host: a bare password, as redis-cli -u reads it
      } else {
        user = decode(userInfo.substring(0, colon));
        password = decode(userInfo.substring(colon + 1));
      }
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    int database;
    try {
      database = path.isEmpty() ? 0 : Integer.parseInt(path);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("database must be a number in " + redacted(url), e);
    }
    return new RedisEndpoint(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), user, password, database);
  }

  /** The URL with any password replaced by {@code ***}, for messages. */
  static String redacted(String url) {
    return url.replaceFirst("(://)[^@/]*@", "$1***@");
  }

  private static String decode(String part) {
    return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
