package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.http.RawHttpClient;
import io.tollgate.testkit.http.RawResponse;
import io.tollgate.testkit.peers.Behaviour;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Outlier detection blames targets only for their own failures: a client whose request body stops arriving gets
 * 408 once the response timeout passes without progress (the target is not counted as failing), and a request
 * queued for a pooled connection longer than the connect timeout is served, not failed; and a target whose
 * answers die mid-body is counted as failing (a success is only a whole answer).
 */
@ExtendWith(BlockedThreadGuard.class)
class TargetBlameIT {

  private static Vertx vertx;
  private static UpstreamPeer upstream;
  private static UpstreamPeer slow;
  private static UpstreamPeer dying;
  private static UpstreamPeer healthy;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = UpstreamPeer.start(vertx).respond(Behaviour.ok().awaitBodyThen());
    slow = UpstreamPeer.start(vertx).respond(Behaviour.ok().delayHeaders(Duration.ofMillis(1500)));
    dying = UpstreamPeer.start(vertx).respond(Behaviour.ok().streamBytes(100_000).closeMidBody(1_000));
    healthy = UpstreamPeer.start(vertx);
    gateway = TestGateway.start("""
        listener: { port: 0 }
        management: { port: 0 }
        services:
          app:
            targets: [ "${APP_URL}" ]
            timeouts: { response: 500ms }
            outlierDetection: { consecutiveFailures: 2 }
          narrow:
            targets: [ "${SLOW_URL}" ]
            maxConnectionsPerTarget: 1
            timeouts: { connect: 300ms, response: 5s }
            outlierDetection: { consecutiveFailures: 1 }
          mixed:
            loadBalancer: round-robin
            targets: [ "${DYING_URL}", "${HEALTHY_URL}" ]
            outlierDetection: { consecutiveFailures: 2 }
        routes:
          - { id: up, path: /up, service: app, auth: public }
          - { id: busy, path: /busy, service: narrow, auth: public }
          - { id: mixed, path: /mixed, service: mixed, auth: public }
        """, Map.of("APP_URL", upstream.baseUrl(), "SLOW_URL", slow.baseUrl(), "DYING_URL", dying.baseUrl(),
        "HEALTHY_URL", healthy.baseUrl()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.close();
    slow.close();
    dying.close();
    healthy.close();
    vertx.close();
  }

  @Test
  void aStalledBodyIs408AndNotTheTargetsFault() throws Exception {
    for (int i = 0; i < 3; i++) {
      try (RawHttpClient client = RawHttpClient.connect("127.0.0.1", gateway.port())) {
        RawResponse response = client.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n0123456789")
            .readResponse(Duration.ofSeconds(10));
        assertThat(response.status()).isEqualTo(408);
        assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
      }
    }

    JsonObject target = targets().getJsonObject(0);
    assertThat(target.getInteger("consecutiveFailures")).as("target state: " + target).isZero();
    assertThat(target.getString("state")).isEqualTo("healthy");
  }

  @Test
  void waitingForAPooledConnectionIsNotTheTargetsFault() throws Exception {
    var first = gateway.http().sendAsync(gateway.request("/busy").build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    Thread.sleep(200); // the first request holds the only connection for 1.5 s
    var second = gateway.get("/busy");

    // The connect timeout covers connecting, not queueing for the pool: the second request waits its turn.
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(first.join().statusCode()).isEqualTo(200);
    JsonObject target = targets("narrow").getJsonObject(0);
    assertThat(target.getString("state")).as("target state: " + target).isEqualTo("healthy");
    assertThat(target.getInteger("consecutiveFailures")).isZero();
  }

  @Test
  void aTargetThatDiesMidBodyIsATargetFailure() {
    for (int i = 0; i < 4; i++) {
      try {
        gateway.get("/mixed");
      } catch (IllegalStateException truncated) {
        // the dying target's answers are cut short: the client sees an aborted response
      }
    }

    assertThat(targets("mixed").getJsonObject(0).getString("state")).as("dying target").isEqualTo("ejected");
    assertThat(targets("mixed").getJsonObject(1).getString("state")).isEqualTo("healthy");
  }

  private static JsonArray targets() {
    return targets("app");
  }

  private static JsonArray targets(String name) {
    for (Object s : gateway.managementStatus().getJsonArray("services")) {
      JsonObject service = (JsonObject) s;
      if (name.equals(service.getString("name"))) {
        return service.getJsonArray("targets");
      }
    }
    throw new AssertionError("no service app on the status page");
  }

}
