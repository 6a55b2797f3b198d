package io.tollgate.testkit.postgres;

import io.vertx.pgclient.PgConnectOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Connection facts for one database made for one test class by {@link TestPostgres#forClass(String)}. The
 * user owns the database (it may create tables and drop the database); the password is empty when the
 * server trusts local connections.
 */
public record TestDatabase(String host, int port, String database, String user, String password) {

  /** Options for vertx-pg-client; a fresh, mutable object on each call. */
  public PgConnectOptions connectOptions() {
    return new PgConnectOptions()
        .setHost(host)
        .setPort(port)
        .setDatabase(database)
        .setUser(user)
        .setPassword(password);
  }

  /** {@code postgresql://user:password@host:port/database}, percent-encoded, e.g. for a gateway config. */
  public String uri() {
    String credentials = encode(user) + (password.isEmpty() ? "" : ":" + encode(password));
    return "postgresql://" + credentials + "@" + host + ":" + port + "/" + database;
  }

  @Override
  public String toString() {
    return "TestDatabase[" + user + "@" + host + ":" + port + "/" + database + "]";
  }

  private static String encode(String part) {
    return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
