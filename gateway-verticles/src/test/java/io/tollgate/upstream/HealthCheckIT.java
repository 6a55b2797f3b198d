package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.observability.PrometheusText;
import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.peers.Behaviour;
import io.tollgate.testkit.peers.RecordedRequest;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Active health checks with real peers: a target whose health endpoint fails is taken out of rotation (though its
 * other answers are fine) and comes back when it passes again; when every target fails its checks, the service
 * fails open.
 */
@ExtendWith(BlockedThreadGuard.class)
class HealthCheckIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static Vertx vertx;
  private static Peers peers;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    peers = Peers.start(vertx, "h1", "h2", "h3", "p1", "p2");
    gateway = TestGateway.start("""
        listener: { port: 0 }
        management: { port: 0 }
        services:
          checked:
            loadBalancer: round-robin
            healthCheck: { path: /healthz, interval: 200ms, timeout: 150ms, healthyThreshold: 2, unhealthyThreshold: 2 }
            targets: [ "${h1}", "${h2}", "${h3}" ]
          panicking:
            healthCheck: { path: /ready, interval: 200ms, timeout: 150ms, unhealthyThreshold: 1, expectedStatuses: [ 204 ] }
            targets: [ "${p1}", "${p2}" ]
        routes:
          - { id: checked, path: /checked/**, service: checked, auth: public }
          - { id: panicking, path: /panicking/**, service: panicking, auth: public }
        """, peers.env());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    peers.close();
    vertx.close();
  }

  @Test
  void aTargetFailingItsHealthCheckGetsNoTrafficUntilItPassesAgain() {
    UpstreamPeer h2 = peers.get("h2");
    h2.respondTo("/healthz", Behaviour.status(503));
    Await.until(() -> "unhealthy".equals(state("checked", 1)), WAIT, () -> "h2 still " + state("checked", 1));
    assertThat(gateway.publicServiceStatus("checked").getString("health")).isEqualTo("degraded");
    assertThat(gateway.publicServiceStatus("checked").getJsonArray("targetStates"))
        .containsExactly("healthy", "unhealthy", "healthy");
    PrometheusText metrics = PrometheusText.parse(gateway.managementGet("/metrics"));
    assertThat(metrics.value("tollgate_upstream_targets", "service", "checked", "state", "unhealthy"))
        .isEqualTo(1.0);

    long before = appRequests(h2);
    for (int i = 0; i < 30; i++) {
      assertThat(gateway.get("/checked/" + i).statusCode()).isEqualTo(200);
    }
    assertThat(appRequests(h2)).as("no traffic while unhealthy").isEqualTo(before);
    assertThat(appRequests(peers.get("h1")) + appRequests(peers.get("h3"))).isGreaterThanOrEqualTo(30);

    h2.respondTo("/healthz", Behaviour.ok());
    Await.until(() -> "healthy".equals(state("checked", 1)), WAIT, () -> "h2 still " + state("checked", 1));
    for (int i = 0; i < 30; i++) {
      assertThat(gateway.get("/checked/back-" + i).statusCode()).isEqualTo(200);
    }
    assertThat(appRequests(h2)).as("back in rotation").isEqualTo(before + 10);
  }

  @Test
  void whenEveryTargetFailsItsChecksTheServiceFailsOpen() {
    // The peers answer 200 to /ready; only 204 passes.
    Await.until(() -> "unhealthy".equals(state("panicking", 0)) && "unhealthy".equals(state("panicking", 1)), WAIT,
        () -> "not both unhealthy");
    for (int i = 0; i < 10; i++) {
      assertThat(gateway.get("/panicking/" + i).statusCode()).as("served anyway").isEqualTo(200);
    }
    assertThat(appRequests(peers.get("p1")) + appRequests(peers.get("p2"))).isEqualTo(10);
    RecordedRequest probe = peers.get("p1").requests().get(0);
    assertThat(probe.path()).isEqualTo("/ready");
    assertThat(probe.header("User-Agent")).isEqualTo("tollgate-health-check");
  }

  private static String state(String service, int index) {
    return gateway.serviceStatus(service).getJsonArray("targets").getJsonObject(index).getString("state");
  }

  /** Requests other than health checks. */
  private static long appRequests(UpstreamPeer peer) {
    return peer.requests().stream().filter(r -> !"tollgate-health-check".equals(r.header("User-Agent"))).count();
  }
}
