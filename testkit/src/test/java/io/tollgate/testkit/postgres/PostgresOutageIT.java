package io.tollgate.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BlockedThreadGuard.class)
class PostgresOutageIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Vertx vertx = Vertx.vertx(BlockedThreadGuard.vertxOptions());

  @AfterEach
  void closeVertx() {
    Await.result(vertx.close(), TIMEOUT);
  }

  @Test
  void queriesFailWhileAPrivateServerIsStoppedAndSucceedAfterStart() {
    try (TestPostgres postgres = TestPostgres.startPrivate()) {
      TestDatabase db = postgres.createDatabase("outage");
      Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(1)).connectingTo(db.connectOptions())
          .using(vertx).build();
      Await.result(pool.query("CREATE TABLE t (id int); INSERT INTO t VALUES (42)").execute(), TIMEOUT);
      assertThat(postgres.describe()).contains("private");

      postgres.stop();
      Throwable whileStopped = catchThrowable(() -> Await.result(pool.query("SELECT 1").execute(), TIMEOUT));
      Throwable newConnectionWhileStopped =
          catchThrowable(() -> Await.result(pool.query("SELECT 1").execute(), TIMEOUT));
      postgres.start();
      int value = Await.result(pool.query("SELECT id FROM t").execute(), TIMEOUT).iterator().next().getInteger(0);

      assertThat(whileStopped).as("query on the connection cut by the stop").isNotNull()
          .isNotInstanceOf(AssertionError.class);
      assertThat(newConnectionWhileStopped).as("new connection while stopped").isNotNull()
          .isNotInstanceOf(AssertionError.class).hasMessageContaining("onnection refused");
      assertThat(value).as("data kept across stop/start").isEqualTo(42);
    }
  }
}
