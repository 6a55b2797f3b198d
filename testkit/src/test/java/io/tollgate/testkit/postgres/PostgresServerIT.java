package io.tollgate.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.testkit.Infrastructure;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BlockedThreadGuard.class)
class PostgresServerIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static TestDatabase db;
  private static Vertx vertx;
  private static Pool pool;

  @BeforeAll
  static void setUp() {
    db = TestPostgres.forClass("PostgresServerIT");
    vertx = Vertx.vertx(BlockedThreadGuard.vertxOptions());
    pool = pool(db);
  }

  @AfterAll
  static void tearDown() {
    if (pool != null) {
      Await.result(pool.close(), TIMEOUT);
    }
    if (vertx != null) {
      Await.result(vertx.close(), TIMEOUT);
    }
    if (db != null) {
      TestPostgres.shared().dropDatabase(db);
    }
  }

  @Test
  void answersSelectVersionInTheClassDatabase() {
    Row row = single(query("SELECT version(), current_database(), current_user"));

    assertThat(row.getString(0)).startsWith("PostgreSQL ");
    assertThat(row.getString(1)).isEqualTo(db.database()).startsWith("t_postgresserverit_");
    assertThat(row.getString(2)).isEqualTo(db.user());
  }

  @Test
  void createsInsertsAndSelectsRows() {
    query("CREATE TABLE routes (id int PRIMARY KEY, path text NOT NULL)");
    Await.result(pool.preparedQuery("INSERT INTO routes (id, path) VALUES ($1, $2)")
        .executeBatch(List.of(Tuple.of(2, "/b"), Tuple.of(1, "/a"))), TIMEOUT);

    List<String> rows = new ArrayList<>();
    query("SELECT id, path FROM routes ORDER BY id").forEach(r -> rows.add(r.getInteger(0) + "=" + r.getString(1)));

    assertThat(rows).containsExactly("1=/a", "2=/b");
  }

  @Test
  void givesEachClassItsOwnEmptyDatabase() {
    query("CREATE TABLE only_here (id int)");
    TestDatabase other = TestPostgres.forClass("PostgresServerIT");
    Pool otherPool = pool(other);
    try {
      Row row = single(Await.result(otherPool.query("SELECT to_regclass('only_here') IS NULL").execute(), TIMEOUT));

      assertThat(other.database()).isNotEqualTo(db.database());
      assertThat(row.getBoolean(0)).as("table from another class's database is invisible").isTrue();
    } finally {
      Await.result(otherPool.close(), TIMEOUT);
      TestPostgres.shared().dropDatabase(other);
    }
  }

  @Test
  void describesItsProviderAndRefusesToStopTheSharedServer() {
    TestPostgres shared = TestPostgres.shared();

    assertThat(shared.describe()).contains("(" + shared.provider() + ", shared)")
        .contains(shared.host() + ":" + shared.port());
    assertThat(Infrastructure.provisions())
        .anySatisfy(p -> assertThat(p.service() + " " + p.role()).isEqualTo("postgres shared"));
    assertThatThrownBy(shared::stop).isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("startPrivate()");
  }

  private static Pool pool(TestDatabase database) {
    return PgBuilder.pool().with(new PoolOptions().setMaxSize(2)).connectingTo(database.connectOptions())
        .using(vertx).build();
  }

  private static RowSet<Row> query(String sql) {
    return Await.result(pool.query(sql).execute(), TIMEOUT);
  }

  private static Row single(RowSet<Row> rows) {
    assertThat(rows.size()).isEqualTo(1);
    return rows.iterator().next();
  }
}
