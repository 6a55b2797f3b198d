package io.tollgate.concurrency;

import static io.tollgate.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.http.RawHttpClient;
import io.tollgate.testkit.peers.Behaviour;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
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
 * Concurrency caps end to end: the cap, the bounded wait queue and its timeout, and exact slot accounting when
 * clients go away (in flight or queued) and when the upstream fails.
 */
@ExtendWith(BlockedThreadGuard.class)
class ConcurrencyIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static Vertx vertx;
  private static UpstreamPeer upstream;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = UpstreamPeer.start(vertx);
    upstream.respondTo("/queue/", Behaviour.ok().body("done").delayHeaders(Duration.ofMillis(700)));
    upstream.respondTo("/short/", Behaviour.ok().delayHeaders(Duration.ofMillis(1500)));
    upstream.respondTo("/cancel/slow", Behaviour.ok().delayHeaders(Duration.ofSeconds(5)));
    upstream.respondTo("/cancel/reset", Behaviour.ok().resetBeforeHeaders());
    upstream.respondTo("/cancel/fast", Behaviour.ok().body("fast"));
    gateway = TestGateway.start("""
        listener: { port: 0 }
        management: { port: 0 }
        services:
          app:
            targets: [ "${APP_URL}" ]
        routes:
          - { id: queue, path: /queue/**, service: app, auth: public,
              concurrency: { max: 2, queue: 1, maxWait: 5s } }
          - { id: short, path: /short/**, service: app, auth: public,
              concurrency: { max: 1, queue: 1, maxWait: 300ms } }
          - { id: cancel, path: /cancel/**, service: app, auth: public,
              concurrency: { max: 2, queue: 2, maxWait: 20s } }
        """, Map.of("APP_URL", upstream.baseUrl()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    vertx.close();
  }

  @Test
  void twoRunOneWaitsAndTheFourthIsTurnedAway() {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      calls.add(send("/queue/" + i));
      awaitSlots("queue", Math.min(i + 1, 2), Math.max(0, i - 1));
    }
    HttpResponse<String> fourth = gateway.get("/queue/3");

    assertProblem(fourth, 503, "concurrency-limited");
    assertThat(fourth.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(calls.stream().map(CompletableFuture::join).map(HttpResponse::statusCode)).containsExactly(200, 200, 200);
    awaitSlots("queue", 0, 0);
  }

  @Test
  void aQueuedRequestGivesUpAfterMaxWait() {
    CompletableFuture<HttpResponse<String>> first = send("/short/a");
    awaitSlots("short", 1, 0);

    long started = System.nanoTime();
    HttpResponse<String> second = gateway.get("/short/b");
    long waitedMs = (System.nanoTime() - started) / 1_000_000;

    assertProblem(second, 503, "concurrency-limited");
    assertThat(waitedMs).as("maxWait is 300 ms; the slot frees only after 1.5 s").isBetween(250L, 1_400L);
    assertThat(first.join().statusCode()).isEqualTo(200);
    awaitSlots("short", 0, 0);
  }

  @Test
  void clientsThatLeaveWhileRunningOrQueuedLeakNoSlot() throws Exception {
    List<RawHttpClient> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      clients.add(rawGet("/cancel/slow"));
    }
    awaitSlots("cancel", 2, 2);

    for (RawHttpClient client : clients) {
      client.close();
    }

    awaitSlots("cancel", 0, 0);
    assertThat(List.of(send("/cancel/fast"), send("/cancel/fast")).stream().map(CompletableFuture::join)
        .map(HttpResponse::body)).containsExactly("fast", "fast");
  }

  @Test
  void aFailedUpstreamReturnsItsSlot() {
    for (int i = 0; i < 3; i++) {
      assertThat(gateway.get("/cancel/reset").statusCode()).isEqualTo(502);
    }
    awaitSlots("cancel", 0, 0);
  }

  private static CompletableFuture<HttpResponse<String>> send(String path) {
    return gateway.http().sendAsync(gateway.request(path).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A GET sent on a connection of its own, left open (the caller closes it to make the client leave). */
  private static RawHttpClient rawGet(String path) throws Exception {
    return RawHttpClient.connect("127.0.0.1", gateway.port())
        .send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
  }


  private static void awaitSlots(String route, int inFlight, int queued) {
    Await.until(() -> {
      JsonObject cap = gateway.managementStatus().getJsonObject("concurrency").getJsonObject(route);
      return cap.getInteger("inFlight") == inFlight && cap.getInteger("queued") == queued;
    }, WAIT, () -> route + ": expected " + inFlight + " in flight and " + queued + " queued, status says "
        + gateway.managementStatus().getJsonObject("concurrency").getJsonObject(route));
  }
}
