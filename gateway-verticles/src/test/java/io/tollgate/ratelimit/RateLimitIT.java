package io.tollgate.ratelimit;

import static io.tollgate.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.auth.apikey.ApiKeyHasher;
import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.redis.TestKeyspace;
import io.tollgate.testkit.redis.TestRedis;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Rate limits end to end with a real Redis: exact admission under parallel load, the 429 answer and its fields,
 * keys (per user, per route group, spoofed {@code X-Forwarded-For}), shadow mode, and that rejected requests never
 * reach the upstream.
 */
@ExtendWith(BlockedThreadGuard.class)
class RateLimitIT {

  private static final TestKeyspace KEYS = TestRedis.forClass("RateLimitIT");
  private static final String ALICE_KEY = ApiKeyHasher.generate();
  private static final String BOB_KEY = ApiKeyHasher.generate();

  private static Vertx vertx;
  private static UpstreamPeer upstream;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = UpstreamPeer.start(vertx);
    gateway = TestGateway.start("""
        listener: { port: 0 }
        management: { port: 0 }
        auth:
          apiKeys:
            keys:
              - { consumer: alice, hash: "${ALICE_HASH}" }
              - { consumer: bob, hash: "${BOB_HASH}" }
        rateLimiting:
          redis: { url: "${REDIS_URL}", keyPrefix: "${PREFIX}", budget: 500ms }
          policies:
            shared:
              - { name: per-minute, rate: 3/min }
            shared-per-route:
              - { name: per-minute, rate: 2/min, key: [ip, route] }
        services:
          app:
            targets: [ "${APP_URL}" ]
        routes:
          - { id: parallel, path: /parallel, service: app, auth: public,
              rateLimit: [ { name: fifty, rate: 50/min } ] }
          - { id: answers, path: /answers, service: app, auth: public,
              rateLimit: [ { name: per-minute, rate: 2/min } ] }
          - { id: per-user, path: /api/per-user, service: app, auth: { accept: [api-key] },
              rateLimit: [ { name: per-user, rate: 2/min, key: [sub] } ] }
          - { id: boundary, path: /boundary, service: app, auth: public,
              rateLimit: [ { name: per-second, rate: 10/s } ] }
          - { id: group-a, path: /group/a, service: app, auth: public, rateLimit: shared }
          - { id: group-b, path: /group/b, service: app, auth: public, rateLimit: shared }
          - { id: split-a, path: /split/a, service: app, auth: public, rateLimit: shared-per-route }
          - { id: split-b, path: /split/b, service: app, auth: public, rateLimit: shared-per-route }
          - { id: shadow, path: /shadow, service: app, auth: public,
              rateLimit: [ { name: trial, rate: 1/min, enforce: false } ] }
          - { id: capped, path: /capped, service: app, auth: public, concurrency: { max: 2 },
              rateLimit: [ { name: roomy, rate: 100000/s } ] }
          - { id: two-limits, path: /two-limits, service: app, auth: public,
              rateLimit: [ { name: per-second, rate: 2/s }, { name: per-minute, rate: 3/min } ] }
        """, Map.of("REDIS_URL", KEYS.redis().connectionString(), "PREFIX", KEYS.prefix(),
        "APP_URL", upstream.baseUrl(),
        "ALICE_HASH", ApiKeyHasher.sha256().hash(ALICE_KEY), "BOB_HASH", ApiKeyHasher.sha256().hash(BOB_KEY)));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    vertx.close();
    KEYS.flush();
  }

  @BeforeEach
  void clean() {
    KEYS.flush();
    upstream.reset();
  }

  @Test
  void twoHundredParallelRequestsOnOneKeyAdmitExactlyTheLimit() {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      calls.add(gateway.http().sendAsync(gateway.request("/parallel").build(), HttpResponse.BodyHandlers.ofString()));
    }
    List<Integer> statuses = calls.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();

    assertThat(statuses.stream().filter(s -> s == 200)).hasSize(50);
    assertThat(statuses.stream().filter(s -> s == 429)).hasSize(150);
    assertThat(upstream.requestCount()).as("rejected requests never reach the upstream").isEqualTo(50);
  }

  @Test
  void aDenialIsAProblemWithRetryAfterAndTheRateLimitFields() {
    HttpResponse<String> first = gateway.get("/answers");
    HttpResponse<String> second = gateway.get("/answers");
    HttpResponse<String> third = gateway.get("/answers");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("RateLimit-Policy")).hasValue("\"per-minute\";q=2;w=60");
    assertThat(first.headers().firstValue("RateLimit")).get().asString().startsWith("\"per-minute\";r=1;t=");
    assertThat(second.headers().firstValue("RateLimit")).get().asString().startsWith("\"per-minute\";r=0;t=");
    JsonObject problem = assertProblem(third, 429, "rate-limited");
    assertThat(problem.getString("detail")).contains("per-minute");
    long retryAfter = Long.parseLong(third.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).as("one permit every 30 s").isBetween(25L, 30L);
    assertThat(third.headers().firstValue("RateLimit")).hasValue("\"per-minute\";r=0;t=" + retryAfter);
    assertThat(third.headers().firstValue("RateLimit-Policy")).hasValue("\"per-minute\";q=2;w=60");
    assertThat(upstream.requestCount()).isEqualTo(2);
  }

  @Test
  void eachUserHasItsOwnAllowance() {
    assertThat(statuses("/api/per-user", "X-API-Key", ALICE_KEY, 3)).containsExactly(200, 200, 429);
    assertThat(statuses("/api/per-user", "X-API-Key", BOB_KEY, 3)).containsExactly(200, 200, 429);
  }

  @Test
  void aSpoofedForwardedForDoesNotEscapeAnIpLimit() {
    // The gateway trusts no proxy here, so the key is the TCP peer whatever X-Forwarded-For says.
    List<Integer> statuses = IntStream.range(0, 3).mapToObj(i -> gateway.send(gateway.request("/answers")
        .header("X-Forwarded-For", "203.0.113." + i).GET().build()).statusCode()).toList();
    assertThat(statuses).containsExactly(200, 200, 429);
  }

  @Test
  void aBurstAtAWindowBoundaryIsNotAdmittedTwice() throws Exception {
    // Fixed windows would admit 10 at the end of one second and 10 more at the start of the next. GCRA admits the
    // burst once, then one request per 100 ms.
    assertThat(parallel("/boundary", 10)).isEqualTo(10);
    Thread.sleep(150);
    int admitted = parallel("/boundary", 10);
    assertThat(admitted).as("150 ms after a full burst, about one permit was earned").isBetween(1, 2);
  }

  @Test
  void routesNamingOnePolicyShareItsCountersUnlessTheKeyIncludesTheRoute() {
    assertThat(List.of(gateway.get("/group/a").statusCode(), gateway.get("/group/b").statusCode(),
        gateway.get("/group/a").statusCode(), gateway.get("/group/b").statusCode())).containsExactly(200, 200, 200, 429);

    assertThat(List.of(gateway.get("/split/a").statusCode(), gateway.get("/split/a").statusCode(),
        gateway.get("/split/a").statusCode(), gateway.get("/split/b").statusCode(),
        gateway.get("/split/b").statusCode())).containsExactly(200, 200, 429, 200, 200);
  }

  @Test
  void shadowLimitsRejectNothingButCountWhatTheyWouldHaveRejected() {
    long before = gateway.counter("ratelimit.shadow_denied");

    assertThat(statuses("/shadow", "X-Unused", "x", 4)).containsExactly(200, 200, 200, 200);

    assertThat(gateway.counter("ratelimit.shadow_denied") - before).isEqualTo(3);
    assertThat(upstream.requestCount()).isEqualTo(4);
    JsonObject status = gateway.managementStatus().getJsonObject("rateLimiting");
    assertThat(status.getString("backend")).isEqualTo("redis");
    assertThat(status.getJsonArray("limits").stream().map(JsonObject.class::cast)
        .filter(l -> l.getString("name").equals("trial")).findFirst().orElseThrow().getBoolean("enforce")).isFalse();
  }

  @Test
  void aRequestIsAdmittedOnlyWhenEveryLimitAllowsIt() throws Exception {
    assertThat(parallel("/two-limits", 3)).as("2/s admits two at once").isEqualTo(2);
    Thread.sleep(600);
    assertThat(gateway.get("/two-limits").statusCode()).as("third of 3/min").isEqualTo(200);
    Thread.sleep(600);
    HttpResponse<String> denied = gateway.get("/two-limits");
    assertProblem(denied, 429, "rate-limited");
    assertThat(denied.headers().firstValue("RateLimit")).get().asString().startsWith("\"per-minute\";r=0;");
    assertThat(denied.headers().firstValue("RateLimit-Policy"))
        .hasValue("\"per-second\";q=2;w=1, \"per-minute\";q=3;w=60");
  }

  @Test
  void clientsLeavingWhileRedisDecidesLeakNoConcurrencySlot() throws Exception {
    // The Redis decision is asynchronous: a client gone before it returns must not keep the slot it is then given.
    for (int i = 0; i < 40; i++) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", gateway.port())) {
        socket.getOutputStream().write("GET /capped HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII));
        socket.setSoLinger(true, 0); // RST at once
      }
    }
    io.tollgate.testkit.vertx.Await.until(() -> {
      JsonObject capped = gateway.managementStatus().getJsonObject("concurrency").getJsonObject("capped");
      return capped.getInteger("inFlight") == 0 && capped.getInteger("queued") == 0;
    }, java.time.Duration.ofSeconds(10), () -> "slots leaked: " + gateway.managementStatus().getJsonObject("concurrency"));
    assertThat(parallel("/capped", 2)).isEqualTo(2);
  }

  private static List<Integer> statuses(String path, String header, String value, int count) {
    return IntStream.range(0, count).mapToObj(i -> gateway.send(gateway.request(path).header(header, value).GET()
        .build()).statusCode()).toList();
  }

  private static int parallel(String path, int count) {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      HttpRequest request = gateway.request(path).build();
      calls.add(gateway.http().sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    return (int) calls.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200).count();
  }
}
