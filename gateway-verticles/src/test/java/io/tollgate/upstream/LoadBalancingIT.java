package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.http.RawHttpClient;
import io.tollgate.testkit.net.FreePorts;
import io.tollgate.testkit.peers.Behaviour;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Load balancing and passive outlier detection end to end, with real upstream peers: where requests go, what the
 * clients see when a target dies, and what the status endpoints and metrics say.
 */
@ExtendWith(BlockedThreadGuard.class)
class LoadBalancingIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static Vertx vertx;
  private static Peers peers;
  private static int closedPort;
  private static TestGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    peers = Peers.start(vertx, "lr1", "lr2", "lrSlow", "rr1", "rr2", "rr3", "w1", "w3", "k1", "k2", "x1", "x2",
        "cap1", "cap2", "c1", "c2");
    Map<String, String> env = peers.env();
    closedPort = FreePorts.next();
    env.put("DEAD", "http://127.0.0.1:" + closedPort);
    gateway = TestGateway.start("""
        listener: { port: 0 }
        management: { port: 0 }
        services:
          lr:
            targets: [ "${lr1}", "${lr2}", "${lrSlow}" ]
          rr:
            loadBalancer: round-robin
            targets: [ "${rr1}", "${rr2}", "${rr3}" ]
          w:
            loadBalancer: weighted
            targets: [ { url: "${w1}", weight: 1 }, { url: "${w3}", weight: 3 } ]
          killed:
            outlierDetection: { consecutiveFailures: 3 }
            targets: [ "${k1}", "${DEAD}", "${k2}" ]
          expiring:
            loadBalancer: round-robin
            outlierDetection: { consecutiveFailures: 2, baseEjectionTime: 1s }
            targets: [ "${x1}", "${x2}" ]
          capped:
            loadBalancer: round-robin
            outlierDetection: { consecutiveFailures: 2 }
            targets: [ "${cap1}", "${cap2}" ]
          cancel:
            targets: [ "${c1}", "${c2}" ]
        routes:
          - { id: lr, path: /lr/**, service: lr, auth: public }
          - { id: rr, path: /rr/**, service: rr, auth: public }
          - { id: w, path: /w/**, service: w, auth: public }
          - { id: killed, path: /killed/**, service: killed, auth: public }
          - { id: expiring, path: /expiring/**, service: expiring, auth: public }
          - { id: capped, path: /capped/**, service: capped, auth: public }
          - { id: cancel, path: /cancel/**, service: cancel, auth: public }
        """, env);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    peers.close();
    vertx.close();
  }

  @Test
  void leastRequestShiftsTrafficAwayFromASlowTarget() throws Exception {
    peers.get("lrSlow").respond(Behaviour.ok().delayHeaders(Duration.ofMillis(300)));
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      calls.add(sendAsync("/lr/" + i));
      Thread.sleep(10);
    }
    assertThat(calls.stream().map(CompletableFuture::join).map(HttpResponse::statusCode)).containsOnly(200);
    int slow = peers.get("lrSlow").requestCount();
    int fast = peers.get("lr1").requestCount() + peers.get("lr2").requestCount();
    // Round robin would send 20 to each; the slow target holds its requests 300 ms, so P2C mostly avoids it.
    assertThat(slow).as("slow %d, fast %d", slow, fast).isLessThanOrEqualTo(10);
    assertThat(fast + slow).isEqualTo(60);
    awaitInFlight("lr", 0);
  }

  @Test
  void roundRobinSpreadsEvenly() {
    for (int i = 0; i < 30; i++) {
      assertThat(gateway.get("/rr/" + i).statusCode()).isEqualTo(200);
    }
    assertThat(List.of("rr1", "rr2", "rr3")).allSatisfy(p -> assertThat(peers.get(p).requestCount()).isEqualTo(10));
  }

  @Test
  void weightsOneToThreeSplitOneToThree() {
    for (int i = 0; i < 200; i++) {
      assertThat(gateway.get("/w/" + i).statusCode()).isEqualTo(200);
    }
    assertThat(peers.get("w1").requestCount()).isEqualTo(50);
    assertThat(peers.get("w3").requestCount()).isEqualTo(150);
  }

  @Test
  void aDeadTargetIsEjectedAfterThreeFailuresAndNeverUsedAgain() {
    int failed = 0;
    for (int i = 0; i < 60; i++) {
      if (gateway.get("/killed/" + i).statusCode() != 200) {
        failed++;
      }
    }
    assertThat(failed).as("client errors: only the failures before the ejection").isEqualTo(3);
    assertThat(peers.get("k1").requestCount() + peers.get("k2").requestCount()).isEqualTo(57);

    JsonObject dead = target("killed", 1);
    assertThat(dead.getString("address")).isEqualTo("127.0.0.1:" + closedPort);
    assertThat(dead.getString("state")).isEqualTo("ejected");
    assertThat(dead.getInteger("ejections")).isEqualTo(1);
    assertThat(dead.getLong("ejectedForMs")).isBetween(20_000L, 30_000L);
    assertThat(dead.getString("ejectedUntil")).isNotNull();
    assertThat(target("killed", 0).getString("state")).isEqualTo("healthy");
    assertThat(gateway.counter("upstream.ejections.killed")).isEqualTo(1);

    JsonObject listed = gateway.publicServiceStatus("killed");
    assertThat(listed.getString("health")).isEqualTo("degraded");
    assertThat(listed.getJsonArray("targetStates")).containsExactly("healthy", "ejected", "healthy");
    assertThat(listed.encode()).doesNotContain(String.valueOf(closedPort));

    String metrics = gateway.managementGet("/metrics");
    assertThat(metrics).contains("tollgate_upstream_ejections_total{service=\"killed\"} 1.0")
        .contains("tollgate_upstream_targets{service=\"killed\",state=\"ejected\"} 1.0")
        .contains("tollgate_upstream_targets{service=\"killed\",state=\"healthy\"} 2.0");
  }

  @Test
  void anEjectedTargetComesBackWhenTheEjectionEnds() {
    UpstreamPeer x2 = peers.get("x2");
    x2.respond(Behaviour.status(503));
    for (int i = 0; i < 4; i++) {
      gateway.get("/expiring/" + i);
    }
    assertThat(target("expiring", 1).getString("state")).isEqualTo("ejected");
    x2.respond(Behaviour.ok());
    int before = x2.requestCount();
    for (int i = 0; i < 6; i++) {
      assertThat(gateway.get("/expiring/e" + i).statusCode()).isEqualTo(200);
    }
    assertThat(x2.requestCount()).as("no traffic while ejected").isEqualTo(before);

    Await.until(() -> "healthy".equals(target("expiring", 1).getString("state")), WAIT, () -> "still ejected");
    for (int i = 0; i < 6; i++) {
      assertThat(gateway.get("/expiring/b" + i).statusCode()).isEqualTo(200);
    }
    assertThat(x2.requestCount()).as("back in rotation").isEqualTo(before + 3);
  }

  @Test
  void halfOfTwoFailingTargetsStaysInRotation() {
    peers.get("cap1").respond(Behaviour.status(503));
    peers.get("cap2").respond(Behaviour.status(503));
    for (int i = 0; i < 20; i++) {
      assertThat(gateway.get("/capped/" + i).statusCode()).isEqualTo(503);
    }
    List<String> states = List.of(target("capped", 0).getString("state"), target("capped", 1).getString("state"));
    assertThat(states).containsExactlyInAnyOrder("ejected", "healthy");
    assertThat(gateway.publicServiceStatus("capped").getJsonArray("targetStates")).contains("healthy");
  }

  @Test
  void inFlightCountsReturnToZeroWhenClientsLeave() throws Exception {
    peers.get("c1").respond(Behaviour.ok().delayHeaders(Duration.ofSeconds(5)));
    peers.get("c2").respond(Behaviour.ok().delayHeaders(Duration.ofSeconds(5)));
    List<RawHttpClient> clients = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      clients.add(rawGet("/cancel/" + i));
    }
    awaitInFlight("cancel", 6);
    assertThat(target("cancel", 0).getInteger("inFlight")).as("P2C over two targets alternates").isBetween(2, 4);
    for (RawHttpClient client : clients) {
      client.close();
    }
    awaitInFlight("cancel", 0);
    assertThat(target("cancel", 0).getInteger("consecutiveFailures")).as("a client leaving is no target failure")
        .isZero();
  }

  @Test
  void anEjectionSurvivesAConfigReload(@TempDir Path dir) throws Exception {
    try (UpstreamPeer a = UpstreamPeer.start(vertx); UpstreamPeer b = UpstreamPeer.start(vertx)) {
      b.respond(Behaviour.status(502));
      Path file = dir.resolve("gateway.yaml");
      String yaml = """
          listener: { port: 0 }
          management: { port: 0 }
          services:
            app:
              loadBalancer: round-robin     # deterministic: B gets every second request
              outlierDetection: { consecutiveFailures: 2 }
              timeouts: { response: %s }
              targets: [ "${A}", "${B}" ]
          routes:
            - { id: app, path: /**, service: app, auth: public }
          """;
      Files.writeString(file, yaml.formatted("10s"));
      try (TestGateway watching = TestGateway.startWatching(file, Map.of("A", a.baseUrl(), "B", b.baseUrl()))) {
        for (int i = 0; i < 4; i++) {
          watching.get("/x" + i);
        }
        assertThat(targetOf(watching, "app", 1).getString("state")).isEqualTo("ejected");

        Files.writeString(file, yaml.formatted("9s"));
        Await.until(() -> watching.get("/api/gateway/status").body().contains("\"configVersion\":2"), WAIT,
            () -> "config not reloaded");

        JsonObject b2 = targetOf(watching, "app", 1);
        assertThat(b2.getString("state")).isEqualTo("ejected");
        assertThat(b2.getInteger("ejections")).isEqualTo(1);
        int seen = b.requestCount();
        for (int i = 0; i < 10; i++) {
          assertThat(watching.get("/y" + i).statusCode()).isEqualTo(200);
        }
        assertThat(b.requestCount()).isEqualTo(seen);
      }
    }
  }

  private static CompletableFuture<HttpResponse<String>> sendAsync(String path) {
    return gateway.http().sendAsync(gateway.request(path).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonObject target(String service, int index) {
    return targetOf(gateway, service, index);
  }

  private static JsonObject targetOf(TestGateway g, String service, int index) {
    return g.serviceStatus(service).getJsonArray("targets").getJsonObject(index);
  }


  private static void awaitInFlight(String service, int expected) {
    Await.until(() -> target(service, 0).getInteger("inFlight") + target(service, 1).getInteger("inFlight")
        + (service.equals("lr") ? target(service, 2).getInteger("inFlight") : 0) == expected, WAIT,
        () -> service + ": expected " + expected + " in flight");
  }


  /** A GET sent on a connection of its own, left open (the caller closes it to make the client leave). */
  private static RawHttpClient rawGet(String path) throws Exception {
    return RawHttpClient.connect("127.0.0.1", gateway.port())
        .send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
  }


}
