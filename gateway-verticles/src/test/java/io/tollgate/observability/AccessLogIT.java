package io.tollgate.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.peers.Behaviour;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every request leaves exactly one JSON access-log line with the routing decision in it. */
@ExtendWith(BlockedThreadGuard.class)
class AccessLogIT {

  private static Vertx vertx;
  private static UpstreamPeer upstream;
  private static TestGateway gateway;
  private static AccessLines lines;

  @BeforeAll
  static void start() {
    lines = AccessLines.capture();
    vertx = Vertx.vertx();
    upstream = UpstreamPeer.start(vertx);
    gateway = TestGateway.start("""
        listener: { port: 0 }
        management: { enabled: false }
        services:
          orders:
            targets: [ "${ORDERS_URL}" ]
        routes:
          - id: orders-route
            path: /orders/**
            service: orders
        """, Map.of("ORDERS_URL", upstream.baseUrl()));
  }

  @AfterAll
  static void stop() {
    lines.close();
    gateway.close();
    vertx.close().await();
  }

  @Test
  void proxiedRequestIsLoggedWithRouteUpstreamSizesAndTimings() {
    upstream.respond(Behaviour.status(202).body("accepted!"));
    HttpResponse<String> response = gateway.send(gateway.request("/orders/7?secret=token")
        .POST(HttpRequest.BodyPublishers.ofString("12345")).build());
    String id = response.headers().firstValue("x-request-id").orElseThrow();

    JsonObject line = lineFor(id);
    assertThat(line.getString("method")).isEqualTo("POST");
    assertThat(line.getString("path")).isEqualTo("/orders/7");
    assertThat(line.getString("route")).isEqualTo("orders-route");
    assertThat(line.getString("upstream")).isEqualTo("127.0.0.1:" + upstream.port());
    assertThat(line.getInteger("status")).isEqualTo(202);
    assertThat(line.getLong("bytesIn")).isGreaterThanOrEqualTo(5);
    assertThat(line.getLong("bytesOut")).isGreaterThanOrEqualTo(9);
    assertThat(line.getDouble("durationMs")).isPositive();
    assertThat(line.getDouble("upstreamMs")).isPositive().isLessThanOrEqualTo(line.getDouble("durationMs"));
    assertThat(line.getString("rejection")).isNull();
    assertThat(line.encode()).doesNotContain("secret=token");
  }

  @Test
  void completedHttp2RequestsAreNotMistakenForClientAborts() throws Exception {
    upstream.respond(Behaviour.ok().body("h2"));
    var h2 = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_2).build();
    h2.send(gateway.request("/orders/warm").GET().build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> response = h2.send(gateway.request("/orders/h2").GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
    JsonObject line = lineFor(response.headers().firstValue("x-request-id").orElseThrow());
    assertThat(line.getString("protocol")).isEqualTo("h2");
    assertThat(line.getInteger("status")).isEqualTo(200);
    assertThat(line.getString("rejection")).isNull();
  }

  @Test
  void rejectionIsLoggedWithItsReason() {
    HttpResponse<String> response = gateway.get("/nowhere");
    JsonObject line = lineFor(response.headers().firstValue("x-request-id").orElseThrow());
    assertThat(line.getInteger("status")).isEqualTo(404);
    assertThat(line.getString("rejection")).isEqualTo("route-not-found");
    assertThat(line.getValue("route")).isNull();
    assertThat(line.getValue("upstreamMs")).isNull();
  }

  @Test
  void clientLeavingMidUploadIsLoggedAsSuchNotAsA200() throws Exception {
    try (var client = io.tollgate.testkit.http.RawHttpClient.connect("127.0.0.1", gateway.port())) {
      client.send("POST /orders/abort HTTP/1.1\r\nHost: x\r\nX-Request-Id: abort-test-1\r\n"
          + "Content-Length: 100000\r\n\r\n" + "x".repeat(1_000));
      upstream.awaitOpenConnections(1, Duration.ofSeconds(5));
    }
    JsonObject line = lineFor("abort-test-1");
    assertThat(line.getInteger("status")).isZero();
    assertThat(line.getString("rejection")).isIn("client-closed", "request-aborted");
  }

  private static JsonObject lineFor(String requestId) {
    return lines.lineFor(requestId);
  }
}
