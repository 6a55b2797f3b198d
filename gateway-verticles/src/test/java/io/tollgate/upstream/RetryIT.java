package io.tollgate.upstream;

import static io.tollgate.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.observability.AccessLines;
import io.tollgate.observability.PrometheusText;
import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.net.FreePorts;
import io.tollgate.testkit.net.ToxicProxy;
import io.tollgate.testkit.peers.Behaviour;
import io.tollgate.testkit.peers.RawBehaviour;
import io.tollgate.testkit.peers.RawPeer;
import io.tollgate.testkit.peers.RecordedRequest;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Retries end to end with real upstream peers: what clients see when a target dies, resets or sheds load, which
 * requests are never retried, and how far the retry budget lets a total outage amplify the upstream's load.
 */
@ExtendWith(BlockedThreadGuard.class)
class RetryIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static Vertx vertx;
  private static Peers peers;
  private static RawPeer resetting;
  private static ToxicProxy deploying;
  private static TestGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    peers = Peers.start(vertx, "k1", "k2", "k3", "f1", "f2", "r2", "p1", "a1", "a2", "l1", "l2", "b2", "d1", "d2", "u1",
        "u2");
    Map<String, String> env = peers.env();
    deploying = ToxicProxy.start(vertx, peers.get("d1").port());
    env.put("DEPLOYING", deploying.baseUrl());
    resetting = UpstreamPeer.startRaw(vertx, RawBehaviour.reset());
    env.put("RESET", resetting.baseUrl());
    env.put("DEAD", "http://127.0.0.1:" + FreePorts.next());
    gateway = TestGateway.start("""
        listener: { port: 0 }
        management: { port: 0 }
        services:
          three:
            outlierDetection: { consecutiveFailures: 3 }
            retry: { attempts: 3 }
            targets: [ "${k1}", "${k2}", "${k3}" ]
          failing:
            outlierDetection: { consecutiveFailures: 0 }
            retry:
              attempts: 5
              on: [ 503 ]
              backoff: { base: 1ms, max: 2ms }
              budget: { percent: 20, minPerSecond: 1 }
            targets: [ "${f1}", "${f2}" ]
          resets:
            loadBalancer: round-robin
            outlierDetection: { consecutiveFailures: 0 }
            retry: { attempts: 2, on: [ reset ] }
            targets: [ "${RESET}", "${r2}" ]
          posts:
            loadBalancer: round-robin
            outlierDetection: { consecutiveFailures: 0 }
            retry: { attempts: 2 }
            targets: [ "${DEAD}", "${p1}" ]
          shedding:
            loadBalancer: round-robin
            outlierDetection: { consecutiveFailures: 0 }
            retry: { attempts: 2, on: [ 503 ], backoff: { retryAfterMax: 2s } }
            targets: [ "${a1}", "${a2}" ]
          late:
            loadBalancer: round-robin
            outlierDetection: { consecutiveFailures: 0 }
            timeouts: { total: 500ms }
            retry: { attempts: 2, on: [ 503 ], backoff: { retryAfterMax: 5s } }
            targets: [ "${l1}", "${l2}" ]
          bodies:
            loadBalancer: round-robin
            outlierDetection: { consecutiveFailures: 0 }
            retry: { attempts: 2, on: [ reset ] }
            targets: [ "${RESET}", "${b2}" ]
          deploy:
            outlierDetection: { consecutiveFailures: 0 }
            retry: { attempts: 2, on: [ reset ] }
            targets: [ "${DEPLOYING}", "${d2}" ]
          uploads:
            loadBalancer: round-robin
            outlierDetection: { consecutiveFailures: 0 }
            retry: { attempts: 2, on: [ 503 ], replayBufferSize: 4KiB }
            targets: [ "${u1}", "${u2}" ]
        routes:
          - { id: three, path: /three/**, service: three, auth: public }
          - { id: uploads, path: /uploads/**, service: uploads, auth: public }
          - { id: deploy, path: /deploy/**, service: deploy, auth: public }
          - { id: failing, path: /failing/**, service: failing, auth: public }
          - { id: resets, path: /resets/**, service: resets, auth: public }
          - { id: posts, path: /posts/**, service: posts, auth: public }
          - { id: posts-opt-in, path: /opt-in/**, service: posts, auth: public, retryNonIdempotent: true }
          - { id: shedding, path: /shedding/**, service: shedding, auth: public }
          - { id: late, path: /late/**, service: late, auth: public }
          - { id: bodies, path: /bodies/**, service: bodies, auth: public, retryNonIdempotent: true }
        """, env);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    peers.close();
    resetting.close();
    deploying.close();
    vertx.close();
  }

  @Test
  void killingOneOfThreeTargetsUnderLoadCostsTheClientsNothing() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      if (i == 100) {
        peers.get("k2").close(); // pooled connections close, new ones are refused
      }
      calls.add(sendAsync(gateway.request("/three/" + i).GET().build()));
      if (calls.size() % 10 == 0) {
        calls.get(calls.size() - 1).join(); // about ten in flight at a time
      }
    }
    List<Integer> statuses = calls.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();
    long errors = statuses.stream().filter(s -> s != 200).count();
    long retries = gateway.counter("upstream.retries.three");
    System.out.printf("one of three killed: %d client errors in 300 GETs, %d retries%n", errors, retries);
    assertThat(errors).as("client errors").isZero();
    assertThat(retries).as("the dead target's failures were retried").isPositive();
    assertThat(target("three", 1)).as("the dead target is ejected").isEqualTo("ejected");
  }

  @Test
  void connectionsResetMidRequestByADeployAreRetriedOnTheOtherTarget() throws Exception {
    peers.get("d1").respond(Behaviour.ok().delayHeaders(Duration.ofMillis(500)));
    peers.get("d2").respond(Behaviour.ok().delayHeaders(Duration.ofMillis(500)));
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      calls.add(sendAsync(gateway.request("/deploy/" + i).GET().build()));
    }
    Await.until(() -> peers.get("d1").requestCount() + peers.get("d2").requestCount() == 12, WAIT,
        () -> "not all requests reached the targets");
    int reset = deploying.resetOpenConnections();
    List<Integer> statuses = calls.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();
    assertThat(reset).as("requests in flight to the deploying target").isPositive();
    assertThat(statuses).as("%d connections reset mid-request", reset).containsOnly(200);
    assertThat(gateway.counter("upstream.retries.deploy")).isEqualTo(reset);
    assertThat(peers.get("d2").requestCount()).isEqualTo(12);
  }

  @Test
  void theBudgetCapsAmplificationWhenEveryAttemptFails() {
    peers.get("f1").respond(Behaviour.status(503));
    peers.get("f2").respond(Behaviour.status(503));
    int requests = 400;
    for (int i = 0; i < requests; i++) {
      assertThat(gateway.get("/failing/" + i).statusCode()).as("the upstream's own answer").isEqualTo(503);
    }
    int attempts = peers.get("f1").requestCount() + peers.get("f2").requestCount();
    double amplification = (double) attempts / requests;
    System.out.printf("100 %% failure: %d upstream attempts for %d requests (×%.3f; attempts: 5 without a budget"
        + " would be ×5)%n", attempts, requests, amplification);
    // 20 % of the requests in the 10 s window plus 1/s × 10 s; one extra retry per event loop may slip through.
    assertThat(attempts).isGreaterThan(requests).isLessThanOrEqualTo(requests + requests * 20 / 100 + 10 + 2);
    assertThat(gateway.counter("upstream.retries.failing")).isEqualTo(attempts - requests);
    assertThat(gateway.counter("upstream.retry_budget_exhausted.failing")).isPositive();
    PrometheusText metrics = PrometheusText.parse(gateway.managementGet("/metrics"));
    assertThat(metrics.value("tollgate_upstream_retries_total", "service", "failing"))
        .isEqualTo(attempts - requests);
    assertThat(metrics.value("tollgate_upstream_retry_budget_exhausted_total", "service", "failing")).isPositive();

    JsonObject budget = null;
    for (Object b : gateway.managementStatus().getJsonArray("retryBudgets")) {
      if (((JsonObject) b).getString("route").equals("failing")) {
        budget = (JsonObject) b;
      }
    }
    assertThat(budget).as("the route's budget on /status").isNotNull();
    assertThat(budget.getString("service")).isEqualTo("failing");
    // Within the 10 s window (unless this box stalled for seconds): the budget is used up, never exceeded.
    assertThat(budget.getLong("requests")).isPositive();
    assertThat(budget.getLong("retries")).isPositive().isLessThanOrEqualTo(budget.getLong("allowed") + 2);
  }

  @Test
  void aResetBeforeTheResponseIsRetriedOnTheOtherTarget() {
    int before = resetting.requestHeads().size();
    HttpResponse<String> response;
    try (AccessLines lines = AccessLines.capture()) {
      response = gateway.get("/resets/a");
      JsonObject line = lines.lineFor(response.headers().firstValue("X-Request-Id").orElseThrow());
      assertThat(line.getString("notes")).isEqualTo("retry:reset");
      assertThat(line.getString("upstream")).as("the last attempt's target").isEqualTo(peers.get("r2").baseUrl()
          .substring("http://".length()));
    }
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(resetting.requestHeads()).as("the first attempt reached the resetting target")
        .hasSize(before + 1);
    assertThat(peers.get("r2").takeRequest(Duration.ofSeconds(5)).path()).isEqualTo("/resets/a");
  }

  @Test
  void aPostIsNeverRetriedUnlessTheRouteOptsIn() throws Exception {
    UpstreamPeer p1 = peers.get("p1");
    int before = p1.requestCount();
    // Round robin: the first attempt of each request goes to the dead target, alternating with p1.
    int failed = 0;
    for (int i = 0; i < 4; i++) {
      HttpResponse<String> response = gateway.send(gateway.request("/posts/" + i)
          .POST(HttpRequest.BodyPublishers.ofString("order " + i)).build());
      if (response.statusCode() != 200) {
        assertProblem(response, 503, "upstream-unavailable");
        failed++;
      }
    }
    assertThat(failed).as("every POST that met the dead target failed").isEqualTo(2);
    assertThat(p1.requestCount()).isEqualTo(before + 2);

    for (int i = 0; i < 4; i++) {
      HttpResponse<String> response = gateway.send(gateway.request("/opt-in/" + i)
          .POST(HttpRequest.BodyPublishers.ofString("order " + i)).build());
      assertThat(response.statusCode()).as("retried after a connect failure").isEqualTo(200);
    }
    List<RecordedRequest> seen = p1.requests().subList(before + 2, p1.requestCount());
    assertThat(seen).extracting(RecordedRequest::bodyAsString)
        .as("the body was never read before the retry, so it arrives whole")
        .containsExactly("order 0", "order 1", "order 2", "order 3");
  }

  @Test
  void aStreamedBodyIsNotReplayed() {
    int before = peers.get("b2").requestCount();
    HttpResponse<String> response = gateway.send(gateway.request("/bodies/x")
        .POST(HttpRequest.BodyPublishers.ofString("x".repeat(10_000))).build());
    assertProblem(response, 502, "bad-gateway");
    assertThat(peers.get("b2").requestCount()).as("no second attempt").isEqualTo(before);

    HttpResponse<String> bodiless = gateway.send(gateway.request("/bodies/y").DELETE().build());
    assertThat(bodiless.statusCode()).as("a bodiless request is replayed").isEqualTo(200);
  }

  @Test
  void aSmallBodyKeptForReplayIsSentWholeToTheNextTarget() {
    peers.get("u1").respond(Behaviour.status(503));
    peers.get("u2").respond(Behaviour.status(503));
    String small = "{\"name\":\"" + "x".repeat(3000) + "\"}";
    HttpResponse<String> response = gateway.send(gateway.request("/uploads/doc")
        .PUT(HttpRequest.BodyPublishers.ofString(small)).build());
    assertThat(response.statusCode()).as("both attempts answered 503").isEqualTo(503);
    RecordedRequest first = peers.get("u1").takeRequest(WAIT);
    RecordedRequest second = peers.get("u2").takeRequest(WAIT);
    assertThat(first.bodyAsString()).isEqualTo(small);
    assertThat(second.bodyAsString()).as("the replayed body").isEqualTo(small);
    assertThat(second.header("Content-Length")).isEqualTo(String.valueOf(small.length()));

    int before = peers.get("u1").requestCount() + peers.get("u2").requestCount();
    HttpResponse<String> large = gateway.send(gateway.request("/uploads/big")
        .PUT(HttpRequest.BodyPublishers.ofString("y".repeat(5000))).build());
    assertThat(large.statusCode()).isEqualTo(503);
    assertThat(peers.get("u1").requestCount() + peers.get("u2").requestCount())
        .as("a body over replayBufferSize is not retried").isEqualTo(before + 1);
  }

  @Test
  void retryAfterIsWaitedForWithinItsCapAndBeyondItTheAnswerStands() {
    UpstreamPeer a1 = peers.get("a1");
    UpstreamPeer a2 = peers.get("a2");
    a1.respond(Behaviour.status(503).header("Retry-After", "1"));
    a2.respond(Behaviour.status(503).header("Retry-After", "1"));
    long start = System.nanoTime();
    HttpResponse<String> response = gateway.get("/shedding/1");
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(tookMs).as("waited for Retry-After once").isGreaterThanOrEqualTo(950);
    assertThat(a1.requestCount() + a2.requestCount()).isEqualTo(2);

    a1.respond(Behaviour.status(503).header("Retry-After", "30"));
    a2.respond(Behaviour.status(503).header("Retry-After", "30"));
    start = System.nanoTime();
    response = gateway.get("/shedding/2");
    tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).as("the upstream's own answer").contains("30");
    assertThat(tookMs).isLessThan(900);
    assertThat(a1.requestCount() + a2.requestCount()).as("not retried").isEqualTo(3);
  }

  @Test
  void noRetryWaitsPastTheTotalDeadline() {
    peers.get("l1").respond(Behaviour.status(503).header("Retry-After", "1"));
    peers.get("l2").respond(Behaviour.status(503).header("Retry-After", "1"));
    long start = System.nanoTime();
    HttpResponse<String> response = gateway.get("/late/1");
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(tookMs).as("a 1 s wait would pass the 500 ms total").isLessThan(900);
    assertThat(peers.get("l1").requestCount() + peers.get("l2").requestCount()).isEqualTo(1);
  }

  @Test
  void theManagementStatusShowsEachServicesRetryRules() {
    var failing = gateway.serviceStatus("failing");
    assertThat(failing.getJsonObject("retry").encode()).isEqualTo("{\"attempts\":5,\"on\":[503],"
        + "\"backoffBaseMs\":1,\"backoffMaxMs\":2,\"retryAfterMaxMs\":1000,\"budgetPercent\":20,"
        + "\"budgetMinPerSecond\":1}");
    assertThat(gateway.serviceStatus("late").getLong("totalTimeoutMs")).isEqualTo(500);
    assertThat(gateway.serviceStatus("three").getLong("totalTimeoutMs")).as("the response timeout").isEqualTo(30_000);
  }

  private static CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest request) {
    return gateway.http().sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String target(String service, int index) {
    return gateway.serviceStatus(service).getJsonArray("targets").getJsonObject(index).getString("state");
  }



}
