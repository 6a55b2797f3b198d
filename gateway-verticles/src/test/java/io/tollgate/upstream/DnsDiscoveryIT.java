package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.observability.PrometheusText;
import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.dns.DnsServer;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DNS discovery against a real DNS server (UDP, on 127.0.0.1) whose answers the test changes, with real upstream peers
 * on 127.0.0.1 and 127.0.0.2 (both loopback on Linux) sharing one port: traffic follows the answer within the
 * refresh interval with no client error, a failed, empty or unanswered lookup keeps the last good set serving, and
 * resolved targets are health-checked like static ones.
 */
@ExtendWith(BlockedThreadGuard.class)
class DnsDiscoveryIT {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String NAME = "orders.tollgate.test";

  private static Vertx vertx;
  private static DnsServer dns;
  private static UpstreamPeer first;
  private static UpstreamPeer second;
  private static UpstreamPeer checkedFirst;
  private static UpstreamPeer checkedSecond;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    dns = DnsServer.start(vertx).answer(NAME, "127.0.0.1", "127.0.0.2");
    first = UpstreamPeer.start(vertx, "127.0.0.1", 0);
    second = UpstreamPeer.start(vertx, "127.0.0.2", first.port());
    checkedFirst = UpstreamPeer.start(vertx, "127.0.0.1", 0);
    checkedSecond = UpstreamPeer.start(vertx, "127.0.0.2", checkedFirst.port());
    checkedSecond.respondTo("/healthz", io.tollgate.testkit.peers.Behaviour.status(503));
    dns.answer("checked.tollgate.test", "127.0.0.1", "127.0.0.2");
    gateway = TestGateway.start("""
        listener: { port: 0 }
        management: { port: 0 }
        services:
          orders:
            loadBalancer: round-robin
            discovery:
              dns: { name: %s, port: "${port}", minTtl: 200ms, maxTtl: 200ms, timeout: 150ms, servers: [ "${dns}" ] }
          checked:
            loadBalancer: round-robin
            healthCheck: { path: /healthz, interval: 1s, timeout: 1s, unhealthyThreshold: 1 }
            discovery:
              dns: { name: checked.tollgate.test, port: "${checkedPort}", minTtl: 200ms, maxTtl: 200ms, timeout: 150ms, servers: [ "${dns}" ] }
          missing:
            discovery:
              dns: { name: nowhere.tollgate.test, port: "${port}", minTtl: 200ms, maxTtl: 200ms, timeout: 150ms, servers: [ "${dns}" ] }
        routes:
          - { id: orders, path: /orders/**, service: orders, auth: public }
          - { id: missing, path: /missing/**, service: missing, auth: public }
          - { id: checked, path: /checked/**, service: checked, auth: public }
        """.formatted(NAME), Map.of("port", String.valueOf(first.port()), "dns", dns.address(),
        "checkedPort", String.valueOf(checkedFirst.port())));
    // Both resolved before any test may stop the DNS server.
    Await.until(() -> resolved("orders") == 2 && resolved("checked") == 2, WAIT, () -> "not resolved yet");
  }

  @AfterAll
  static void stop() {
    gateway.close();
    first.close();
    second.close();
    checkedFirst.close();
    checkedSecond.close();
    dns.close();
    vertx.close();
  }

  @Test
  void trafficFollowsTheAnswerAndTheLastGoodSetOutlivesTheServer() throws Exception {
    JsonObject status = gateway.serviceStatus("orders");
    assertThat(status.getJsonArray("targets").stream().map(t -> ((JsonObject) t).getString("address")))
        .containsExactly("127.0.0.1:" + first.port(), "127.0.0.2:" + first.port());
    for (int i = 0; i < 40; i++) {
      assertThat(gateway.get("/orders/" + i).statusCode()).isEqualTo(200);
    }
    assertThat(first.requestCount()).as("127.0.0.1 served").isEqualTo(20);
    assertThat(second.requestCount()).as("127.0.0.2 served").isEqualTo(20);

    // The answer shrinks to one address while a client keeps sending: no request fails.
    List<Integer> statuses = new CopyOnWriteArrayList<>();
    AtomicBoolean sending = new AtomicBoolean(true);
    Thread client = new Thread(() -> {
      while (sending.get()) {
        statuses.add(gateway.get("/orders/during").statusCode());
      }
    });
    client.start();
    Thread.sleep(100);
    long changed = System.nanoTime();
    dns.answer(NAME, "127.0.0.2");
    Await.until(() -> resolved() == 1, WAIT, () -> "still " + discovery());
    long movedMs = (System.nanoTime() - changed) / 1_000_000;
    Thread.sleep(200);
    sending.set(false);
    client.join(10_000);
    assertThat(statuses).as("requests during the change").isNotEmpty().allMatch(s -> s == 200);
    assertThat(movedMs).as("picked up within a few refresh intervals (200 ms)").isLessThan(2_000);
    int firstBefore = first.requestCount();
    int secondBefore = second.requestCount();
    for (int i = 0; i < 20; i++) {
      assertThat(gateway.get("/orders/after-" + i).statusCode()).isEqualTo(200);
    }
    assertThat(first.requestCount()).as("no traffic to the address that left").isEqualTo(firstBefore);
    assertThat(second.requestCount()).isEqualTo(secondBefore + 20);

    // An empty answer keeps the last good set, and says so.
    dns.answer(NAME);
    Await.until(() -> "empty".equals(discovery().getString("lastOutcome")), WAIT, () -> "" + discovery());
    assertThat(gateway.get("/orders/empty").statusCode()).isEqualTo(200);
    assertThat(resolved()).isEqualTo(1);

    // The DNS server goes away: lookups fail, the last good set keeps serving, /status and the metrics show it.
    dns.answer(NAME, "127.0.0.2");
    dns.close();
    Await.until(() -> "failed".equals(discovery().getString("lastOutcome")), WAIT, () -> "" + discovery());
    for (int i = 0; i < 10; i++) {
      assertThat(gateway.get("/orders/orphaned-" + i).statusCode()).isEqualTo(200);
    }
    assertThat(discovery().getString("lastError")).contains(dns.address());
    assertThat(discovery().getInteger("failuresInARow")).isPositive();
    PrometheusText metrics = PrometheusText.parse(gateway.managementGet("/metrics"));
    assertThat(metrics.value("tollgate_upstream_dns_resolutions_total", "service", "orders", "outcome", "failed"))
        .isPositive();
    assertThat(metrics.value("tollgate_upstream_dns_resolutions_total", "service", "orders", "outcome", "changed"))
        .isEqualTo(2.0); // unresolved → two addresses → one
    assertThat(metrics.value("tollgate_upstream_dns_resolutions_total", "service", "orders", "outcome", "empty"))
        .isPositive();
    assertThat(metrics.value("tollgate_upstream_dns_targets", "service", "orders")).isEqualTo(1.0);
    assertThat(metrics.value("tollgate_upstream_targets", "service", "orders", "state", "healthy")).isEqualTo(1.0);
  }

  @Test
  void aNameThatNeverResolvedAnswers503UpstreamUnavailable() {
    Await.until(() -> gateway.serviceStatus("missing").getJsonObject("discovery").getString("lastOutcome") != null,
        WAIT, () -> "no lookup yet");
    HttpResponse<String> response = gateway.get("/missing/x");
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(new JsonObject(response.body()).getString("type")).endsWith("/upstream-unavailable");
    assertThat(new JsonObject(response.body()).getString("detail")).contains("missing");
    assertThat(gateway.publicServiceStatus("missing").getString("health")).isEqualTo("degraded");
  }

  @Test
  void resolvedTargetsAreHealthCheckedAndAFailingOneGetsNoTraffic() {
    Await.until(() -> "unhealthy".equals(targetState("checked", 1)), WAIT,
        () -> "127.0.0.2 still " + targetState("checked", 1));
    assertThat(targetState("checked", 0)).isEqualTo("healthy");
    long before = appRequests(checkedSecond);
    for (int i = 0; i < 20; i++) {
      assertThat(gateway.get("/checked/" + i).statusCode()).isEqualTo(200);
    }
    assertThat(appRequests(checkedSecond)).as("nothing to the failing address").isEqualTo(before);
    assertThat(appRequests(checkedFirst)).isGreaterThanOrEqualTo(20);
  }

  @Test
  void aReloadThatKeepsTheDiscoveryKeepsTheResolvedSetAndItsTimer(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    try (DnsServer own = DnsServer.start(vertx).answer("reload.tollgate.test", "127.0.0.1", "127.0.0.2");
        UpstreamPeer a = UpstreamPeer.start(vertx, "127.0.0.1", 0);
        UpstreamPeer b = UpstreamPeer.start(vertx, "127.0.0.2", a.port())) {
      String yaml = """
          listener: { port: 0 }
          management: { port: 0 }
          services:
            reloaded:
              loadBalancer: round-robin
              timeouts: { response: %s }
              discovery:
                dns: { name: reload.tollgate.test, port: "${port}", minTtl: 1h, maxTtl: 1h, servers: [ "${dns}" ] }
          routes:
            - { id: reloaded, path: /reloaded/**, service: reloaded, auth: public }
          """;
      java.nio.file.Path file = dir.resolve("gateway.yaml");
      java.nio.file.Files.writeString(file, yaml.formatted("10s"));
      try (TestGateway watching = TestGateway.startWatching(file,
          Map.of("port", String.valueOf(a.port()), "dns", own.address()))) {
        Await.until(() -> watching.serviceStatus("reloaded").getJsonObject("discovery").getInteger("resolved") == 2,
            WAIT, () -> "not resolved");
        int queries = own.queries();
        own.answer("reload.tollgate.test", "127.0.0.1"); // not looked up again for an hour

        java.nio.file.Files.writeString(file, yaml.formatted("9s"));
        Await.until(() -> watching.get("/api/gateway/status").body().contains("\"configVersion\":2"), WAIT,
            () -> "not reloaded");
        assertThat(watching.serviceStatus("reloaded").getJsonObject("discovery").getInteger("resolved"))
            .as("the set survived the reload").isEqualTo(2);
        for (int i = 0; i < 10; i++) {
          assertThat(watching.get("/reloaded/" + i).statusCode()).isEqualTo(200);
        }
        assertThat(a.requestCount()).isEqualTo(5);
        assertThat(b.requestCount()).isEqualTo(5);
        assertThat(own.queries()).as("no new lookup: the timer was kept").isEqualTo(queries);
      }
    }
  }

  private static String targetState(String service, int index) {
    return gateway.serviceStatus(service).getJsonArray("targets").getJsonObject(index).getString("state");
  }

  private static long appRequests(UpstreamPeer peer) {
    return peer.requests().stream().filter(r -> !"tollgate-health-check".equals(r.header("User-Agent"))).count();
  }

  private static JsonObject discovery() {
    return gateway.serviceStatus("orders").getJsonObject("discovery");
  }

  private static int resolved() {
    return resolved("orders");
  }

  private static int resolved(String service) {
    return gateway.serviceStatus(service).getJsonObject("discovery").getInteger("resolved");
  }
}
