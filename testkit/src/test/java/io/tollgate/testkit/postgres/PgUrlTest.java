package io.tollgate.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PgUrlTest {

  @Test
  void readsEveryPart() {
    assertThat(PgUrl.parse("postgresql://app:s%40cret@db.local:6543/tollgate"))
        .isEqualTo(new PgUrl("db.local", 6543, "tollgate", "app", "s@cret"));
  }

  @Test
  void defaultsPortDatabaseUserAndPassword() {
    assertThat(PgUrl.parse("postgres://127.0.0.1"))
        .isEqualTo(new PgUrl("127.0.0.1", 5432, "postgres", "postgres", ""));
  }

  @Test
  void rejectsOtherSchemesAndQueryParametersWithoutShowingThePassword() {
    assertThatThrownBy(() -> PgUrl.parse("mysql://root:hunter2@h/db"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mysql://root:***@h/db").hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> PgUrl.parse("postgresql://u:hunter2@h/db?sslmode=require"))
        .hasMessageContaining("query parameters").hasMessageNotContaining("hunter2");
  }

  @Test
  void namesDatabasesAfterTheClassWithinPostgresLimits() {
    String name = TestPostgres.databaseName("io.tollgate.ratelimit.GcraRedisRateLimiterIT$Nested-Extremely-Long");

    assertThat(name).matches("t_[a-z0-9_]+_[0-9a-f]{8}").hasSizeLessThanOrEqualTo(63)
        .startsWith("t_io_tollgate_ratelimit_gcraredisratelim");
    assertThat(TestPostgres.databaseName("X")).isNotEqualTo(TestPostgres.databaseName("X"));
  }

  @Test
  void describesTheDatabaseForVertxAndAsAUri() {
    TestDatabase db = new TestDatabase("127.0.0.1", 5433, "t_x_00000000", "postgres", "p w");

    assertThat(db.connectOptions().getPort()).isEqualTo(5433);
    assertThat(db.connectOptions().getDatabase()).isEqualTo("t_x_00000000");
    assertThat(db.uri()).isEqualTo("postgresql://postgres:p%20w@127.0.0.1:5433/t_x_00000000");
    assertThat(db.toString()).doesNotContain("p w");
  }
}
