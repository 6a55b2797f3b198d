package io.tollgate.ownership;

import static io.tollgate.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.events.ownership.OwnershipAssigned;
import io.tollgate.events.publish.OwnershipPublisher;
import io.tollgate.events.publish.PublisherSettings;
import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.auth.TokenIssuer;
import io.tollgate.testkit.kafka.KafkaBroker;
import io.tollgate.testkit.kafka.KafkaTopics;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The replica when Kafka is away: a gateway that never caught up answers 503 (not 404) and is not ready; a gateway
 * that has caught up keeps serving from its replica through a broker outage, reports growing staleness, and
 * catches up by itself after the broker is back. Uses a broker of its own (stopped and restarted).
 */
@ExtendWith(BlockedThreadGuard.class)
class OwnershipOutageIT {

  /** How long the broker stays down in the default suite (the soak variant runs 30 s+). */
  private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("tollgate.ownership.outageSeconds", 5));
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static Vertx vertx;
  private static TokenIssuer idp;
  private static UpstreamPeer runner;
  private static KafkaBroker broker;
  private static String alice;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    idp = TokenIssuer.start(vertx);
    runner = UpstreamPeer.start(vertx);
    broker = KafkaBroker.startPrivate();
    alice = idp.token().sub("alice").aud(OwnershipIT.AUDIENCE).sign();
  }

  @AfterAll
  static void stop() {
    broker.close();
    vertx.close();
  }

  @Test
  void untilTheReplicaHasCaughtUpOnceProtectedRoutesAnswer503AndTheNodeIsNotReady() {
    try (TestGateway gateway = start("ownership-never-created")) {
      HttpResponse<String> response = get(gateway, "/api/v1/monitors/101/checks/");

      assertProblem(response, 503, "ownership-not-ready");
      assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
      HttpResponse<String> readiness = gateway.get("/readyz");
      assertThat(readiness.statusCode()).isEqualTo(503);
      assertThat(readiness.body()).contains("ownership");
      assertThat(runner.requestCount()).isZero();
    }
  }

  @Test
  void anUnresolvableBootstrapHostIsRetriedNotFatal() throws Exception {
    try (TestGateway gateway = OwnershipIT.startExample("kafka.invalid:9092", "t", idp, runner)) {
      Await.until(() -> ownership(gateway).getString("lastError") != null, WAIT,
          () -> "no error reported: " + ownership(gateway));
      Thread.sleep(2_500); // a few retries later the feed still runs
      assertThat(Thread.getAllStackTraces().keySet()).as("the feed thread keeps retrying")
          .anyMatch(t -> t.getName().equals("tollgate-ownership-feed") && t.isAlive());
      assertThat(ownership(gateway).getString("lastError")).containsIgnoringCase("bootstrap");
      assertProblem(get(gateway, "/api/v1/monitors/101/checks/"), 503, "ownership-not-ready");
    }
  }

  @Test
  void aCaughtUpGatewayServesThroughABrokerOutageAndCatchesUpAfterwards() throws Exception {
    String topic = KafkaTopics.uniqueName("ownership-outage");
    try (KafkaTopics topics = KafkaTopics.on(broker).createCompacted(topic, 2);
        OwnershipPublisher publisher = OwnershipPublisher.create(PublisherSettings.of(broker.bootstrapServers())
            .withTopic(topic).withTimeout(Duration.ofSeconds(20)));
        TestGateway gateway = start(topic)) {
      publisher.publish(assigned("101", 1)).get(30, TimeUnit.SECONDS);
      Await.until(() -> get(gateway, "/api/v1/monitors/101/checks/").statusCode() == 200, WAIT,
          () -> "alice never got monitor 101");

      broker.stop();
      List<Integer> during = new ArrayList<>();
      long until = System.nanoTime() + OUTAGE.toNanos();
      while (System.nanoTime() < until) {
        during.add(get(gateway, "/api/v1/monitors/101/checks/").statusCode());
        Thread.sleep(100);
      }
      JsonObject stale = ownership(gateway);
      broker.restart();

      assertThat(during).as("requests during the outage").isNotEmpty().containsOnly(200);
      assertThat(stale.getBoolean("caughtUp")).isTrue();
      assertThat(stale.getDouble("stalenessSeconds")).as("staleness while the broker is down: " + stale)
          .isGreaterThanOrEqualTo(OUTAGE.toSeconds() - 3.0);
      assertThat(gateway.get("/readyz").statusCode()).as("an outage does not take the node out").isEqualTo(200);

      publisher.publish(assigned("202", 1)).get(60, TimeUnit.SECONDS);
      Await.until(() -> get(gateway, "/api/v1/monitors/202/checks/").statusCode() == 200, WAIT,
          () -> "an event published after the outage was never applied: " + ownership(gateway));
      Await.until(() -> ownership(gateway).getDouble("stalenessSeconds") < 3, WAIT,
          () -> "staleness did not recover: " + ownership(gateway));
    }
  }

  private static TestGateway start(String topic) {
    return OwnershipIT.startExample(broker.bootstrapServers(), topic, idp, runner);
  }

  private static HttpResponse<String> get(TestGateway gateway, String path) {
    return gateway.send(gateway.request(path).header("Authorization", "Bearer " + alice).GET().build());
  }

  private static JsonObject ownership(TestGateway gateway) {
    return new JsonObject(gateway.get("/api/gateway/status").body()).getJsonObject("ownership");
  }

  private static OwnershipAssigned assigned(String id, long version) {
    return new OwnershipAssigned("monitor", id, "alice", null, version, Instant.now(), "outage-it");
  }
}
