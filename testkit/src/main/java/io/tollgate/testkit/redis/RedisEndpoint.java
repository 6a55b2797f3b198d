package io.tollgate.testkit.redis;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a Redis answers and how to log in: user and password are empty when not needed; database is the
 * index to SELECT.
 */
record RedisEndpoint(String host, int port, String user, String password, int database) {

  static RedisEndpoint local(String host, int port) {
    return new RedisEndpoint(host, port, "", "", 0);
  }

  /** {@code redis://[user:password@]host:port/database}, percent-encoded, as vertx-redis-client reads it. */
  String connectionString() {
    String credentials = "";
    if (!password.isEmpty()) {
      credentials = encode(user) + ":" + encode(password) + "@";
    }
    return "redis://" + credentials + host + ":" + port + "/" + database;
  }

  private static String encode(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
