package io.tollgate.upstream;

import static io.tollgate.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.observability.PrometheusText;
import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.peers.Behaviour;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Circuit breakers end to end with real upstream peers: an open circuit answers 503 with {@code Retry-After} (or the
 * route's fallback) without calling the target, lets trial calls through after its open duration and closes when
 * they succeed; a slow target's circuit takes it out of rotation.
 */
@ExtendWith(BlockedThreadGuard.class)
class CircuitBreakerIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static Vertx vertx;
  private static Peers peers;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    peers = Peers.start(vertx, "g1", "fb1", "slow", "fast", "main", "spare");
    gateway = TestGateway.start("""
        listener: { port: 0 }
        management: { port: 0 }
        services:
          guarded:
            outlierDetection: { consecutiveFailures: 0 }
            circuitBreaker: { window: 4, minimumCalls: 4, failureRateThreshold: 50, openDuration: 1s, halfOpenCalls: 2 }
            targets: [ "${g1}" ]
          backed:
            outlierDetection: { consecutiveFailures: 0 }
            circuitBreaker: { window: 2, minimumCalls: 2, openDuration: 60s }
            targets: [ "${fb1}" ]
          mixed:
            loadBalancer: round-robin
            outlierDetection: { consecutiveFailures: 0 }
            circuitBreaker: { window: 4, minimumCalls: 4, slowCallDuration: 100ms, slowCallRateThreshold: 50,
                              openDuration: 60s }
            targets: [ "${slow}", "${fast}" ]
          main:
            outlierDetection: { consecutiveFailures: 0 }
            circuitBreaker: { window: 2, minimumCalls: 2, openDuration: 60s }
            targets: [ "${main}" ]
          spare:
            targets: [ "${spare}" ]
        routes:
          - { id: guarded, path: /guarded/**, service: guarded, auth: public }
          - { id: switching, path: /switching/**, service: main, auth: public, fallback: { service: spare } }
          - id: backed
            path: /backed/**
            service: backed
            auth: public
            fallback: { status: 200, body: '{"items":[],"stale":true}', contentType: application/json }
          - { id: mixed, path: /mixed/**, service: mixed, auth: public }
        """, peers.env());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    peers.close();
    vertx.close();
  }

  @Test
  void anOpenCircuitAnswers503WithRetryAfterThenHalfOpensAndClosesOnRecovery() throws Exception {
    UpstreamPeer g1 = peers.get("g1");
    g1.respond(Behaviour.status(500));
    for (int i = 0; i < 4; i++) {
      assertThat(gateway.get("/guarded/" + i).statusCode()).as("the upstream's own answer").isEqualTo(500);
    }
    assertThat(circuit("guarded").getString("state")).isEqualTo("open");

    HttpResponse<String> refused = gateway.get("/guarded/refused");
    JsonObject problem = assertProblem(refused, 503, "circuit-open");
    assertThat(problem.getString("detail")).isEqualTo("every target of service 'guarded' has an open circuit");
    assertThat(refused.headers().firstValue("Retry-After")).contains("1");
    assertThat(g1.requestCount()).as("an open circuit does not call the target").isEqualTo(4);
    assertThat(gateway.publicServiceStatus("guarded").getJsonArray("circuitStates")).containsExactly("open");
    assertThat(gateway.publicServiceStatus("guarded").getString("health")).isEqualTo("degraded");
    PrometheusText metrics = PrometheusText.parse(gateway.managementGet("/metrics"));
    assertThat(metrics.value("tollgate_circuit_breaker_state", "service", "guarded", "target",
        "127.0.0.1:" + g1.port())).isEqualTo(2.0);

    g1.respond(Behaviour.ok());
    Thread.sleep(1_100); // the open duration
    assertThat(gateway.get("/guarded/trial-1").statusCode()).isEqualTo(200);
    assertThat(circuit("guarded").getString("state")).as("one of two trial calls done").isEqualTo("half-open");
    assertThat(gateway.get("/guarded/trial-2").statusCode()).isEqualTo(200);
    // The outcome is recorded once the response has been written, which the client may see first.
    Await.until(() -> "closed".equals(circuit("guarded").getString("state")), WAIT,
        () -> "still " + circuit("guarded").getString("state"));
    for (int i = 0; i < 5; i++) {
      assertThat(gateway.get("/guarded/after-" + i).statusCode()).isEqualTo(200);
    }
    metrics = PrometheusText.parse(gateway.managementGet("/metrics"));
    for (String to : List.of("open", "half-open", "closed")) {
      assertThat(metrics.value("tollgate_circuit_breaker_transitions_total", "service", "guarded", "to", to))
          .as(to).isEqualTo(1.0);
    }
    assertThat(metrics.value("tollgate_rejections_total", "reason", "upstream")).isPositive();
  }

  @Test
  void aRouteWithAFallbackAnswersItWhileTheCircuitIsOpen() {
    UpstreamPeer fb1 = peers.get("fb1");
    fb1.respond(Behaviour.status(503));
    assertThat(gateway.get("/backed/1").statusCode()).isEqualTo(503);
    assertThat(gateway.get("/backed/2").statusCode()).isEqualTo(503);

    HttpResponse<String> fallback = gateway.get("/backed/3");
    assertThat(fallback.statusCode()).isEqualTo(200);
    assertThat(fallback.body()).isEqualTo("{\"items\":[],\"stale\":true}");
    assertThat(fallback.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(fallback.headers().firstValue("X-Request-Id")).isPresent();
    assertThat(fb1.requestCount()).isEqualTo(2);
  }

  @Test
  void aRouteWithAnAlternateServiceSendsTheRequestThereWhileTheCircuitIsOpen() {
    peers.get("main").respond(Behaviour.status(502));
    peers.get("spare").respond(Behaviour.ok().body("from spare"));
    assertThat(gateway.get("/switching/1").statusCode()).isEqualTo(502);
    assertThat(gateway.get("/switching/2").statusCode()).isEqualTo(502);

    HttpResponse<String> switched = gateway.get("/switching/3?q=1");
    assertThat(switched.statusCode()).isEqualTo(200);
    assertThat(switched.body()).isEqualTo("from spare");
    assertThat(peers.get("spare").takeRequest(WAIT).uri()).as("same path and query").isEqualTo("/switching/3?q=1");
    assertThat(peers.get("main").requestCount()).isEqualTo(2);
  }

  @Test
  void aSlowTargetsCircuitOpensAndTrafficShiftsToTheFastOne() {
    peers.get("slow").respond(Behaviour.ok().delayHeaders(Duration.ofMillis(300)));
    for (int i = 0; i < 40; i++) {
      assertThat(gateway.get("/mixed/" + i).statusCode()).isEqualTo(200);
    }
    // Round robin alternates: the slow target's 4th slow call fills its window (4 of 4 slow ≥ 50 %).
    assertThat(peers.get("slow").requestCount()).isEqualTo(4);
    assertThat(peers.get("fast").requestCount()).isEqualTo(36);
    Await.until(() -> "open".equals(targetCircuit("mixed", 0).getString("state")), WAIT, () -> "not open");
    assertThat(targetCircuit("mixed", 0).getInteger("slowCalls")).isEqualTo(4);
    assertThat(targetCircuit("mixed", 1).getString("state")).isEqualTo("closed");
  }

  private static JsonObject circuit(String service) {
    return targetCircuit(service, 0);
  }

  private static JsonObject targetCircuit(String service, int index) {
    return gateway.serviceStatus(service).getJsonArray("targets").getJsonObject(index).getJsonObject("circuit");
  }

}
