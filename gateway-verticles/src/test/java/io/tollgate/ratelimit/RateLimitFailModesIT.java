package io.tollgate.ratelimit;

import static io.tollgate.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.redis.TestRedis;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What each declared failure mode does while Redis is stopped or paused ({@code CLIENT PAUSE}), that it is
 * counted and visible on the status page, and that the gateway goes back to Redis by itself. Also standalone
 * mode (no Redis configured). Each test gets a fresh gateway, so no in-process state carries over.
 */
@ExtendWith(BlockedThreadGuard.class)
class RateLimitFailModesIT {

  private static final Duration RECOVERY = Duration.ofSeconds(15);
  /** Loose bound on one answer while Redis is away: the budget is 100 ms, so anything near it is the timeout. */
  private static final Duration PROMPT = Duration.ofSeconds(2);

  private static final String ROUTES = """
      services:
        app:
          targets: [ "${APP_URL}" ]
      routes:
        - { id: open, path: /open, service: app, auth: public,
            rateLimit: [ { name: open, rate: 1/min, failMode: fail-open } ] }
        - { id: closed, path: /closed, service: app, auth: public,
            rateLimit: [ { name: closed, rate: 100/min, failMode: fail-closed } ] }
        - { id: local, path: /local, service: app, auth: public,
            rateLimit: [ { name: local, rate: 4/min, failMode: local } ] }
      """;

  private static Vertx vertx;
  private static UpstreamPeer upstream;
  private static TestRedis redis;
  private TestGateway gateway;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = UpstreamPeer.start(vertx);
    redis = TestRedis.startPrivate();
  }

  @AfterEach
  void stopGateway() {
    if (gateway != null) {
      gateway.close();
    }
    redis.unpause();
  }

  @AfterAll
  static void stop() {
    redis.close();
    upstream.close();
    vertx.close();
  }

  @Test
  void redisStoppedEachLimitFollowsItsFailModeAndRecoveryIsAutomatic() {
    gateway = startWithRedis();
    assertThat(gateway.get("/closed").statusCode()).isEqualTo(200);

    redis.stop();
    try {
      assertModesApplied();
    } finally {
      redis.start();
    }

    awaitRecovery();
  }

  @Test
  void redisPausedTheBudgetFiresAndEachLimitFollowsItsFailMode() {
    gateway = startWithRedis();
    assertThat(gateway.get("/closed").statusCode()).isEqualTo(200);

    redis.pause(Duration.ofSeconds(30));
    try {
      assertModesApplied();
    } finally {
      redis.unpause();
    }

    awaitRecovery();
    assertThat(gateway.counter("ratelimit.redis.down")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void withoutRedisTheInProcessLimiterHasTheSameSemantics() {
    gateway = TestGateway.start("""
        listener: { port: 0 }
        management: { port: 0 }
        rateLimiting:
          expectedNodes: 2
        """ + ROUTES, Map.of("APP_URL", upstream.baseUrl()));

    // Standalone: the node holds the whole limit (expectedNodes only sizes the fallback of a Redis setup).
    assertThat(statuses("/local", 5)).containsExactly(200, 200, 200, 200, 429);
    assertThat(gateway.get("/open").statusCode()).isEqualTo(200);
    assertProblem(gateway.get("/open"), 429, "rate-limited");
    JsonObject status = new JsonObject(gateway.get("/api/gateway/status").body()).getJsonObject("rateLimiting");
    assertThat(status.getString("backend")).isEqualTo("standalone");
    assertThat(modes(status)).containsEntry("local", "local").containsEntry("closed", "local");
  }

  private void assertModesApplied() {
    long openBefore = gateway.counter("ratelimit.fail_open");

    long started = System.nanoTime();
    HttpResponse<String> closed = gateway.get("/closed");
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertProblem(closed, 503, "rate-limiter-unavailable");
    assertThat(closed.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(took).as("the answer comes after the budget, not after a TCP timeout").isLessThan(PROMPT);

    assertThat(statuses("/open", 3)).as("fail-open allows beyond the 1/min limit").containsExactly(200, 200, 200);
    assertThat(statuses("/local", 3)).as("local: this node's share of 4/min across 2 nodes")
        .containsExactly(200, 200, 429);

    assertThat(gateway.counter("ratelimit.fail_open") - openBefore).isEqualTo(3);
    assertThat(gateway.counter("ratelimit.fail_closed")).isGreaterThanOrEqualTo(1);
    assertThat(gateway.counter("ratelimit.local_fallback")).isGreaterThanOrEqualTo(3);
    assertThat(gateway.counter("ratelimit.redis.unavailable")).isGreaterThanOrEqualTo(1);

    JsonObject status = new JsonObject(gateway.get("/api/gateway/status").body()).getJsonObject("rateLimiting");
    assertThat(status.getString("backend")).isEqualTo("degraded");
    assertThat(modes(status)).containsEntry("open", "fail-open").containsEntry("closed", "fail-closed")
        .containsEntry("local", "local");
  }

  private void awaitRecovery() {
    Await.until(() -> gateway.get("/closed").statusCode() == 200, RECOVERY,
        () -> "the gateway did not go back to Redis within " + RECOVERY);
    Await.until(() -> "redis".equals(gateway.managementStatus().getJsonObject("rateLimiting").getString("backend")),
        RECOVERY, () -> "status still says " + gateway.managementStatus().getJsonObject("rateLimiting"));
    assertThat(modes(gateway.managementStatus().getJsonObject("rateLimiting")))
        .containsEntry("open", "redis").containsEntry("closed", "redis").containsEntry("local", "redis");
  }

  private TestGateway startWithRedis() {
    return TestGateway.start("""
        listener: { port: 0 }
        management: { port: 0 }
        rateLimiting:
          redis: { url: "${REDIS_URL}", budget: 100ms }
          expectedNodes: 2
        """ + ROUTES, Map.of("REDIS_URL", redis.connectionString(), "APP_URL", upstream.baseUrl()));
  }

  private List<Integer> statuses(String path, int count) {
    return IntStream.range(0, count).mapToObj(i -> gateway.get(path).statusCode()).toList();
  }

  private static Map<String, String> modes(JsonObject rateLimiting) {
    return rateLimiting.getJsonArray("limits").stream().map(JsonObject.class::cast)
        .collect(Collectors.toMap(l -> l.getString("name"), l -> l.getString("mode")));
  }
}
