package io.tollgate.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.testkit.Infrastructure;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BlockedThreadGuard.class)
class RedisServerIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String INCR_SCRIPT = "return redis.call('INCR', KEYS[1])";

  private static TestKeyspace keys;
  private static Vertx vertx;
  private static Redis client;

  @BeforeAll
  static void setUp() {
    keys = TestRedis.forClass("RedisServerIT");
    vertx = Vertx.vertx(BlockedThreadGuard.vertxOptions());
    client = Redis.createClient(vertx, keys.options());
  }

  @AfterAll
  static void tearDown() {
    if (keys != null) {
      keys.flush();
    }
    if (client != null) {
      client.close();
    }
    if (vertx != null) {
      Await.result(vertx.close(), TIMEOUT);
    }
  }

  @Test
  void evalsALuaScriptThatIncrementsAPrefixedKey() {
    String key = keys.key("hits");

    Response first = send(Request.cmd(Command.EVAL).arg(INCR_SCRIPT).arg(1).arg(key));
    Response second = send(Request.cmd(Command.EVAL).arg(INCR_SCRIPT).arg(1).arg(key));

    assertThat(keys.prefix()).matches("t-RedisServerIT-[0-9a-f]{8}:");
    assertThat(first.toLong()).isEqualTo(1);
    assertThat(second.toLong()).isEqualTo(2);
    assertThat(keys.redis().call("GET", key)).as("seen over a separate connection").isEqualTo("2");
  }

  @Test
  void flushesOnlyTheKeysUnderItsPrefix() {
    TestRedis redis = keys.redis();
    TestKeyspace mine = redis.keyspace("flush");
    TestKeyspace other = redis.keyspace("flush");
    for (String key : new String[] {mine.key("a"), mine.key("b"), other.key("a")}) {
      send(Request.cmd(Command.SET).arg(key).arg("v"));
    }

    assertThat(mine.flush()).isEqualTo(2);
    assertThat(redis.call("EXISTS", mine.key("a"), mine.key("b"))).isEqualTo(0L);
    assertThat(redis.call("GET", other.key("a"))).isEqualTo("v");
    other.flush();
  }

  @Test
  void matchesGlobCharactersInAPrefixLiterally() {
    TestRedis redis = keys.redis();
    redis.call("SET", "t-glob[1]*:x", "literal");
    redis.call("SET", "t-glob1-y:x", "a glob would match me");

    assertThat(redis.flushPrefix("t-glob[1]*:")).isEqualTo(1);
    assertThat(redis.call("GET", "t-glob1-y:x")).isEqualTo("a glob would match me");
    assertThat(redis.flushPrefix("t-glob1-y:")).isEqualTo(1);
    assertThatThrownBy(() -> redis.flushPrefix("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void describesItsProviderAndRefusesToStopTheSharedServer() {
    TestRedis shared = TestRedis.shared();

    assertThat(shared.describe()).startsWith("Redis ").contains("(" + shared.provider() + ", shared)")
        .contains(shared.host() + ":" + shared.port());
    assertThat(Infrastructure.provisions())
        .anySatisfy(p -> assertThat(p.service() + " " + p.role()).isEqualTo("redis shared"));
    assertThatThrownBy(shared::stop).isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("startPrivate()");
  }

  private static Response send(Request request) {
    return Await.result(client.send(request), TIMEOUT);
  }
}
