package io.tollgate.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BlockedThreadGuard.class)
class RedisOutageIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static TestRedis redis;

  private final Vertx vertx = Vertx.vertx(BlockedThreadGuard.vertxOptions());
  private Redis client;

  @BeforeAll
  static void startPrivateServer() {
    redis = TestRedis.startPrivate();
  }

  @AfterAll
  static void closePrivateServer() {
    if (redis != null) {
      redis.close();
    }
  }

  @AfterEach
  void closeClient() {
    if (client != null) {
      client.close();
    }
    Await.result(vertx.close(), TIMEOUT);
  }

  @Test
  void aPauseHoldsCommandsPastAClientTimeoutThenLetsThemRun() {
    client = Redis.createClient(vertx, redis.options());
    assertThat(send(Request.cmd(Command.PING)).toString()).isEqualTo("PONG");

    redis.pause(Duration.ofMillis(1500));
    long pausedAt = System.nanoTime();
    Future<Response> held = client.send(Request.cmd(Command.INCR).arg("paused"));
    Throwable timedOut = catchThrowable(() -> Await.result(held.timeout(300, TimeUnit.MILLISECONDS), TIMEOUT));
    long heldValue = Await.result(held, TIMEOUT).toLong();
    long heldMillis = (System.nanoTime() - pausedAt) / 1_000_000;
    long afterPause = send(Request.cmd(Command.INCR).arg("paused")).toLong();

    assertThat(timedOut).as("a 300 ms client timeout fires during the pause")
        .hasCauseInstanceOf(TimeoutException.class);
    assertThat(heldValue).as("the held command ran once the pause ended").isEqualTo(1);
    assertThat(heldMillis).isBetween(1200L, 5000L);
    assertThat(afterPause).isEqualTo(2);
  }

  @Test
  void commandsFailWhileStoppedAndWorkAfterRestart() {
    client = Redis.createClient(vertx, redis.options());
    send(Request.cmd(Command.SET).arg("k").arg("before"));
    assertThat(redis.describe()).contains("private");

    redis.stop();
    Throwable whileStopped = catchThrowable(() -> send(Request.cmd(Command.GET).arg("k")));
    redis.restart();
    Response afterRestart = send(Request.cmd(Command.GET).arg("k"));
    send(Request.cmd(Command.SET).arg("k").arg("after"));

    assertThat(whileStopped).as("fails fast instead of hanging").isNotNull()
        .isNotInstanceOf(AssertionError.class);
    assertThat(afterRestart).as("no persistence: a restart empties the server").isNull();
    assertThat(redis.call("GET", "k")).isEqualTo("after");
  }

  private Response send(Request request) {
    return Await.result(client.send(request), TIMEOUT);
  }
}
