package io.tollgate.ownership;

import static io.tollgate.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.events.ownership.OwnershipAssigned;
import io.tollgate.events.ownership.OwnershipEvent;
import io.tollgate.events.ownership.OwnershipRevoked;
import io.tollgate.events.publish.OwnershipPublisher;
import io.tollgate.events.publish.PublisherSettings;
import io.tollgate.observability.PrometheusText;
import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.auth.TokenIssuer;
import io.tollgate.testkit.kafka.KafkaBroker;
import io.tollgate.testkit.kafka.KafkaTopics;
import io.tollgate.testkit.peers.Behaviour;
import io.tollgate.testkit.peers.RecordedRequest;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The seed scenario end to end with a real Kafka broker, on the documented {@code docs/examples/monitor-checks.yaml}:
 * a monitor's check history is readable only by its owner, per the replica the gateway builds from ownership
 * events; everything else is the same 404.
 */
@ExtendWith(BlockedThreadGuard.class)
class OwnershipIT {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String TOPIC = KafkaTopics.uniqueName("ownership-it");
  private static final String SNAPSHOT = "6f1c1c1e-2b9a-4c3e-9a55-0c1f3e5b7a01";

  private static Vertx vertx;
  private static TokenIssuer idp;
  private static UpstreamPeer runner;
  private static KafkaTopics topics;
  private static OwnershipPublisher publisher;
  private static TestGateway gateway;
  private static String alice;
  private static String bob;

  /** The documented example, so the docs cannot drift from what is tested. */
  static final Path EXAMPLE = Path.of("../docs/examples/monitor-checks.yaml");
  static final String AUDIENCE = "api://monitoring";

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    idp = TokenIssuer.start(vertx);
    runner = UpstreamPeer.start(vertx);
    topics = KafkaTopics.on(KafkaBroker.shared()).createCompacted(TOPIC, 3);
    publisher = OwnershipPublisher.create(PublisherSettings.of(KafkaBroker.shared().bootstrapServers())
        .withTopic(TOPIC));
    // Published before the gateway starts: it must replay them from the beginning.
    publish(assigned("monitor", "101", "alice", 1), assigned("monitor", "202", "bob", 1),
        assigned("monitor", "303", "alice", 1), revoked("monitor", "303", 2),
        assigned("snapshot", SNAPSHOT, "alice", 1));
    gateway = startGateway();
    alice = idp.token().sub("alice").aud(AUDIENCE).sign();
    bob = idp.token().sub("bob").aud(AUDIENCE).sign();
  }

  static TestGateway startGateway() {
    return startExample(KafkaBroker.shared().bootstrapServers(), TOPIC, idp, runner);
  }

  static TestGateway startExample(String kafka, String topic, TokenIssuer idp, UpstreamPeer runner) {
    try {
      return TestGateway.start(Files.readString(EXAMPLE), Map.of("GATEWAY_PORT", "0", "MANAGEMENT_PORT", "0",
          "OIDC_DISCOVERY_URL", idp.discoveryUri(), "KAFKA_BOOTSTRAP_SERVERS", kafka, "OWNERSHIP_TOPIC", topic,
          "RUNNER_SERVICE_URL", runner.baseUrl(), "RUNNER_INTERNAL_TOKEN", "runner-internal-credential"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterAll
  static void stop() {
    gateway.close();
    publisher.close();
    topics.close();
    vertx.close();
  }

  @BeforeEach
  void ready() {
    runner.reset();
    runner.respond(Behaviour.ok().header("Content-Type", "application/json").body("{\"checks\":[1,2,3]}"));
    awaitCaughtUp(gateway);
  }

  @Test
  void theOwnerReadsTheRunnersAnswerThroughTheInternalRoute() {
    HttpResponse<String> response = get("/api/v1/monitors/101/checks/?limit=5&start_date=2026-01-01", alice);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"checks\":[1,2,3]}");
    RecordedRequest seen = runner.takeRequest(WAIT);
    assertThat(seen.path()).isEqualTo("/internal/checks/");
    assertThat(seen.query()).isEqualTo("limit=5&start_date=2026-01-01&target_id=101");
    assertThat(seen.header("Authorization")).isEqualTo("Bearer runner-internal-credential");
  }

  @Test
  void everyoneElseGetsTheSameNotFound() {
    String notOwner = assertProblem(get("/api/v1/monitors/101/checks/", bob), 404, "not-found").getString("detail");
    String unknown = assertProblem(get("/api/v1/monitors/999/checks/", alice), 404, "not-found").getString("detail");
    String revoked = assertProblem(get("/api/v1/monitors/303/checks/", alice), 404, "not-found").getString("detail");

    assertThat(notOwner).isEqualTo(unknown).isEqualTo(revoked);
    assertThat(get("/api/v1/monitors/101/checks/", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/monitors/abc/checks/", alice).statusCode()).as("ids are integers").isEqualTo(404);
    assertThat(runner.requestCount()).isZero();
  }

  @Test
  void aSlowRunnerIsA504AfterTheStrictTimeout() {
    runner.respond(Behaviour.ok().delayHeaders(Duration.ofSeconds(6)));
    long started = System.nanoTime();

    HttpResponse<String> response = get("/api/v1/monitors/101/checks/", alice);

    assertProblem(response, 504, "gateway-timeout");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(2_900),
        Duration.ofMillis(5_500));
  }

  @Test
  void otherResourceTypesAreProtectedByConfigAlone() {
    assertThat(get("/api/v1/snapshots/" + SNAPSHOT, alice).statusCode()).isEqualTo(200);
    assertThat(runner.takeRequest(WAIT).path()).isEqualTo("/internal/snapshots/" + SNAPSHOT);
    assertProblem(get("/api/v1/snapshots/" + SNAPSHOT, bob), 404, "not-found");
  }

  @Test
  void anOwnershipChangeIsAppliedWithinOneSecond() throws Exception {
    publish(assigned("monitor", "404", "bob", 1));
    long published = System.nanoTime();

    Await.until(() -> get("/api/v1/monitors/404/checks/", bob).statusCode() == 200, Duration.ofSeconds(5),
        () -> "bob never got access to monitor 404");

    assertThat(Duration.ofNanos(System.nanoTime() - published)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void outOfOrderAndDuplicateEventsNeverRestoreOrRegressAccess() throws Exception {
    publish(assigned("monitor", "505", "bob", 3), assigned("monitor", "505", "alice", 2),
        assigned("monitor", "505", "bob", 3), revoked("monitor", "505", 1));
    awaitApplied("monitor", "505", 3);
    assertThat(get("/api/v1/monitors/505/checks/", bob).statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/monitors/505/checks/", alice).statusCode()).isEqualTo(404);

    publish(revoked("monitor", "505", 4), assigned("monitor", "505", "bob", 3));
    awaitApplied("monitor", "505", 4);
    assertThat(get("/api/v1/monitors/505/checks/", bob).statusCode()).as("a late, older assign").isEqualTo(404);
  }

  @Test
  void malformedRecordsAreCountedAndSkipped() throws Exception {
    long before = ownershipStatus().getLong("malformed");
    topics.produce(TOPIC, "monitor:606", "{not json");
    topics.produce(TOPIC, "monitor:606", "{\"type\":\"OwnershipAssigned.v1\",\"resourceType\":\"monitor\","
        + "\"resourceId\":\"607\",\"ownerId\":\"bob\",\"version\":1,\"occurredAt\":\"2026-11-23T10:00:00Z\","
        + "\"producer\":\"it\"}"); // the key names another resource
    topics.produce(TOPIC, "monitor:606", "{\"type\":\"OwnershipAssigned.v9\"}");
    publish(assigned("monitor", "606", "bob", 1));

    awaitApplied("monitor", "606", 1);
    assertThat(get("/api/v1/monitors/606/checks/", bob).statusCode()).isEqualTo(200);
    assertThat(get("/api/v1/monitors/607/checks/", bob).statusCode()).isEqualTo(404);
    assertThat(ownershipStatus().getLong("malformed") - before).isEqualTo(3);
  }

  @ParameterizedTest
  @ValueSource(strings = {"target_id=202", "target_id=202&target_id=303", "TARGET_ID=202&target_id=",
      "target%5Fid=202", "target_id%3D202=x", "a=1&target_id=202&b=2", "target_id[]=202", "%74arget_id=202"})
  void aClientCanNeverChooseTheTargetId(String query) {
    HttpResponse<String> response = get("/api/v1/monitors/101/checks/?" + query, alice);

    assertThat(response.statusCode()).isIn(200, 400);
    if (response.statusCode() == 200) {
      String seen = runner.takeRequest(WAIT).query();
      assertThat(seen).endsWith("target_id=101");
      assertThat(seen.indexOf("target_id=")).as("exactly one target_id, ours: " + seen)
          .isEqualTo(seen.lastIndexOf("target_id="));
      assertThat(seen.toLowerCase()).doesNotContain("202").doesNotContain("target%5fid").doesNotContain("%74arget");
    }
  }

  /**
   * The same ownership rule on a WebSocket route: checked at the handshake, before anything reaches the upstream;
   * browsers may send the token as a query parameter, which is never forwarded.
   */
  @Test
  void aLiveFeedWebSocketIsOpenOnlyToTheOwner() {
    io.tollgate.testkit.peers.WebSocketEchoPeer live = io.tollgate.testkit.peers.WebSocketEchoPeer.start(vertx);
    TestGateway wsGateway = TestGateway.start("""
        listener: { port: 0 }
        management: { enabled: false }
        auth:
          issuers:
            - { name: main, discovery: "${OIDC_DISCOVERY_URL}", audiences: [ "%s" ], algorithms: [RS256] }
        ownership:
          kafka: { bootstrapServers: "${KAFKA_BOOTSTRAP_SERVERS}" }
          topic: %s
        services:
          live: { targets: [ "${LIVE_URL}" ] }
        routes:
          - id: monitor-live
            path: /api/v1/monitors/{monitorId:int}/live
            service: live
            ownership: { resource: monitor }
            websocket: { tokenQueryParameter: access_token }
        """.formatted(AUDIENCE, TOPIC), Map.of("OIDC_DISCOVERY_URL", idp.discoveryUri(),
        "KAFKA_BOOTSTRAP_SERVERS", KafkaBroker.shared().bootstrapServers(),
        "LIVE_URL", "http://127.0.0.1:" + live.port()));
    try (io.tollgate.websocket.ClientSockets clients = new io.tollgate.websocket.ClientSockets(vertx,
        wsGateway.port())) {
      awaitCaughtUp(wsGateway);
      io.vertx.core.MultiMap asAlice = io.vertx.core.MultiMap.caseInsensitiveMultiMap()
          .add("Authorization", "Bearer " + alice);
      assertThat(clients.connect("/api/v1/monitors/101/live", asAlice, java.util.List.of()).echo("tick"))
          .isEqualTo("tick");
      assertThat(clients.connect("/api/v1/monitors/101/live?access_token=" + alice).echo("from a browser"))
          .isEqualTo("from a browser");
      assertThat(live.handshakes()).allSatisfy(h -> assertThat(h.uri()).doesNotContain("access_token"));

      io.vertx.core.MultiMap asBob = io.vertx.core.MultiMap.caseInsensitiveMultiMap()
          .add("Authorization", "Bearer " + bob);
      assertThat(clients.refused("/api/v1/monitors/101/live", asBob).getStatus()).isEqualTo(404);
      assertThat(clients.refused("/api/v1/monitors/303/live", asAlice).getStatus()).as("revoked").isEqualTo(404);
      assertThat(clients.refused("/api/v1/monitors/101/live", null).getStatus()).isEqualTo(401);
      assertThat(live.handshakes()).hasSize(2);
    } finally {
      wsGateway.close();
      live.close();
    }
  }

  @Test
  void theReplicaIsVisibleAsMetrics() {
    PrometheusText metrics = PrometheusText.parse(gateway.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + gateway.managementPort() + "/metrics")).build()).body());

    assertThat(metrics.value("tollgate_ownership_replica_caught_up")).isEqualTo(1.0);
    assertThat(metrics.value("tollgate_ownership_replica_records")).isGreaterThanOrEqualTo(5);
    assertThat(metrics.value("tollgate_ownership_replica_lag_records")).isZero();
    assertThat(metrics.value("tollgate_ownership_replica_staleness_seconds")).isBetween(0.0, 5.0);
  }

  @Test
  void aRestartedGatewayRebuildsTheReplicaFromTheTopic() {
    try (TestGateway second = startGateway()) {
      awaitCaughtUp(second);
      assertThat(second.send(second.request("/api/v1/monitors/101/checks/")
          .header("Authorization", "Bearer " + alice).build()).statusCode()).isEqualTo(200);
      assertThat(second.send(second.request("/api/v1/monitors/303/checks/")
          .header("Authorization", "Bearer " + alice).build()).statusCode()).isEqualTo(404);
      assertThat(new JsonObject(second.get("/api/gateway/status").body()).getJsonObject("ownership")
          .getLong("records")).isGreaterThanOrEqualTo(5);
    }
  }

  private static HttpResponse<String> get(String path, String token) {
    var request = gateway.request(path).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return gateway.send(request.build());
  }

  private static JsonObject ownershipStatus() {
    return new JsonObject(gateway.get("/api/gateway/status").body()).getJsonObject("ownership");
  }

  private static void awaitCaughtUp(TestGateway node) {
    Await.until(() -> node.get("/readyz").statusCode() == 200, WAIT,
        () -> "the replica never caught up: " + node.get("/readyz").body());
  }

  private static void awaitApplied(String type, String id, long version) {
    Await.until(() -> {
      OwnershipReplica.Entry entry = gateway.gateway().state().ownership().replica().lookup(type, id);
      return entry != null && entry.version() == version;
    }, WAIT, () -> type + ":" + id + " never reached version " + version);
  }

  static OwnershipEvent assigned(String type, String id, String owner, long version) {
    return new OwnershipAssigned(type, id, owner, null, version, Instant.now(), "ownership-it");
  }

  static OwnershipEvent revoked(String type, String id, long version) {
    return new OwnershipRevoked(type, id, null, version, Instant.now(), "ownership-it");
  }

  static void publish(OwnershipEvent... events) throws Exception {
    for (OwnershipEvent event : events) {
      publisher.publish(event).get(30, TimeUnit.SECONDS);
    }
  }
}
