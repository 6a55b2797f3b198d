package io.tollgate.testkit.postgres;

import io.tollgate.testkit.vertx.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import java.time.Duration;
import java.util.function.Function;

/**
 * Administration statements (CREATE DATABASE, version checks) over vertx-pg-client, blocking the calling
 * test thread. Each call uses its own small Vert.x instance and closes it, so nothing lingers between test
 * classes and no JDBC driver is needed.
 */
final class PgAdmin {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private PgAdmin() {}

  /** Runs each statement in order on one connection (outside a transaction, as CREATE DATABASE needs). */
  static void execute(PgConnectOptions options, String... statements) {
    run(options, connection -> {
      Future<Void> chain = Future.succeededFuture();
      for (String statement : statements) {
        chain = chain.compose(ignored -> connection.query(statement).execute().mapEmpty());
      }
      return chain;
    });
  }

  /** The first column of the first row of {@code query}, as text. */
  static String queryString(PgConnectOptions options, String query) {
    return run(options, connection -> connection.query(query).execute()
        .map(rows -> firstValue(rows, query)));
  }

  private static <T> T run(PgConnectOptions options, Function<PgConnection, Future<T>> work) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    try {
      Future<T> result = PgConnection.connect(vertx, options)
          .compose(connection -> work.apply(connection).eventually(connection::close));
      return Await.result(result, TIMEOUT);
    } finally {
      Await.result(vertx.close(), TIMEOUT);
    }
  }

  private static String firstValue(RowSet<Row> rows, String query) {
    var iterator = rows.iterator();
    if (!iterator.hasNext()) {
      throw new IllegalStateException("no row from " + query);
    }
    Object value = iterator.next().getValue(0);
    return value == null ? null : value.toString();
  }
}
