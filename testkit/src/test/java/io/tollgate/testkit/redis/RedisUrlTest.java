package io.tollgate.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedisUrlTest {

  @Test
  void readsHostPortAndDatabaseWithDefaults() {
    assertThat(RedisUrl.parse("redis://127.0.0.1")).isEqualTo(new RedisEndpoint("127.0.0.1", 6379, "", "", 0));
    assertThat(RedisUrl.parse("redis://cache:6380/3")).isEqualTo(new RedisEndpoint("cache", 6380, "", "", 3));
  }

  @Test
  void readsAPasswordWithOrWithoutAUser() {
    assertThat(RedisUrl.parse("redis://:s%3Acret@h:1")).isEqualTo(new RedisEndpoint("h", 1, "", "s:cret", 0));
    assertThat(RedisUrl.parse("redis://secret@h:1")).isEqualTo(new RedisEndpoint("h", 1, "", "secret", 0));
    assertThat(RedisUrl.parse("redis://app:pw@h:1/2")).isEqualTo(new RedisEndpoint("h", 1, "app", "pw", 2));
  }

  @Test
  void writesAConnectionStringVertxReads() {
    assertThat(new RedisEndpoint("h", 1, "", "p w", 2).connectionString()).isEqualTo("redis://:p%20w@h:1/2");
    assertThat(new RedisEndpoint("h", 1, "", "", 0).connectionString()).isEqualTo("redis://h:1/0");
  }

  @Test
  void rejectsTlsAndBadDatabasesWithoutShowingThePassword() {
    assertThatThrownBy(() -> RedisUrl.parse("rediss://:hunter2@h:1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("hunter2");
    assertThatThrownBy(() -> RedisUrl.parse("redis://:hunter2@h:1/zero"))
        .hasMessageContaining("database must be a number").hasMessageNotContaining("hunter2");
  }

  @Test
  void prefixesNameTheClassAndDiffer() {
    String prefix = TestRedis.prefix("io.tollgate.RateLimit IT*");

    assertThat(prefix).matches("t-io\\.tollgate\\.RateLimit-IT--[0-9a-f]{8}:");
    assertThat(TestRedis.prefix("X")).isNotEqualTo(TestRedis.prefix("X"));
  }
}
