package io.tollgate.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations ({@code db/V<n>__<name>.sql} on the classpath), applied at start in order, each in
 * its own transaction, under a transaction-scoped advisory lock so two nodes starting together apply each once.
 * Applied versions are recorded in {@code tollgate_schema_migrations}; an applied script is never run again.
 */
public final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  /** Advisory lock key for migrations (any constant unique to Tollgate). */
  private static final long LOCK = 0x746f6c6c_67617401L;

  /** The scripts, in order. Append only: never edit a released script, add the next version instead. */
  static final List<String> SCRIPTS = List.of("V1__config_store.sql");

  private Migrations() {
  }

  /** Brings the schema up to date; completes with the schema version. */
  public static Future<Integer> apply(Pool pool) {
    return pool.withTransaction(conn -> conn.query("SELECT pg_advisory_xact_lock(" + LOCK + ")").execute()
        .compose(v -> conn.query("CREATE TABLE IF NOT EXISTS tollgate_schema_migrations ("
            + "version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())").execute())
        .compose(v -> conn.query("SELECT coalesce(max(version), 0) FROM tollgate_schema_migrations").execute())
        .compose(rows -> applyFrom(conn, rows.iterator().next().getInteger(0))));
  }

  private static Future<Integer> applyFrom(SqlConnection conn, int applied) {
    Future<Integer> chain = Future.succeededFuture(applied);
    for (int i = applied; i < SCRIPTS.size(); i++) {
      int version = i + 1;
      String name = SCRIPTS.get(i);
      chain = chain.compose(v -> conn.query(script(name)).execute()
          .compose(r -> conn.preparedQuery("INSERT INTO tollgate_schema_migrations (version, name) VALUES ($1, $2)")
              .execute(Tuple.of(version, name)))
          .map(r -> {
            LOG.info("config store schema migrated to version {} ({})", version, name);
            return version;
          }));
    }
    return chain;
  }

  private static String script(String name) {
    try (InputStream in = Migrations.class.getResourceAsStream("/db/" + name)) {
      if (in == null) {
        throw new IllegalStateException("migration /db/" + name + " is missing from the jar");
      }
      return Buffer.buffer(in.readAllBytes()).toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
