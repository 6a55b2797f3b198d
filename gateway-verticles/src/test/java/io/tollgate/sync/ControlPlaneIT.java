package io.tollgate.sync;

import static io.tollgate.sync.ControlPlaneNodes.ADMIN_KEY;
import static io.tollgate.sync.ControlPlaneNodes.VIEWER_KEY;
import static io.tollgate.sync.ControlPlaneNodes.await;
import static io.tollgate.sync.ControlPlaneNodes.serves;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.observability.PrometheusText;
import io.tollgate.testing.AdminClient;
import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.kafka.KafkaBroker;
import io.tollgate.testkit.kafka.KafkaTopics;
import io.tollgate.testkit.peers.Behaviour;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.postgres.TestDatabase;
import io.tollgate.testkit.postgres.TestPostgres;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnection;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two gateway nodes share a real Postgres config store and a real Kafka config topic: a change made through the
 * Admin API of node A serves traffic on both; invalid changes are refused whole; poison on the topic is skipped.
 */
@ExtendWith(BlockedThreadGuard.class)
class ControlPlaneIT {

  @TempDir
  Path dir;
  private Vertx vertx;
  private UpstreamPeer upstream;
  private TestDatabase db;
  private String topic;
  private TestGateway nodeA;
  private TestGateway nodeB;
  private AdminClient admin;

  @BeforeEach
  void start(TestInfo test) {
    vertx = Vertx.vertx();
    upstream = UpstreamPeer.start(vertx);
    db = TestPostgres.forClass("cp_" + test.getTestMethod().orElseThrow().getName());
    topic = KafkaTopics.uniqueName("config-it");
    nodeA = node("a");
    nodeB = node("b");
    admin = new AdminClient(nodeA, ADMIN_KEY);
  }

  /** Both nodes read the config topic (positioned at its end): from here on, every record reaches them. */
  private void awaitFollowing() throws InterruptedException {
    for (TestGateway node : List.of(nodeA, nodeB)) {
      await("node follows the config topic", Duration.ofSeconds(30), () -> node.managementStatus()
          .getJsonObject("controlPlane").getBoolean("followingTopic"));
    }
  }

  private TestGateway node(String name) {
    return TestGateway.start(ControlPlaneNodes.bootstrap(db, KafkaBroker.shared().bootstrapServers(), topic,
        dir.resolve(name + "-last-known-good.json")), ControlPlaneNodes.env(db, upstream.baseUrl()));
  }

  @AfterEach
  void stop() {
    for (TestGateway node : new TestGateway[] {nodeA, nodeB}) {
      if (node != null) {
        node.close();
      }
    }
    vertx.close().await();
  }

  private static JsonObject service(String url) {
    return new JsonObject().put("targets", new JsonArray().add(url));
  }

  private static JsonObject route(String path, String service) {
    return new JsonObject().put("path", path).put("service", service).put("auth", "public");
  }

  @Test
  void aRouteCreatedOnNodeAServesTrafficOnBothNodes() throws Exception {
    assertThat(nodeA.get("/things/1").statusCode()).isEqualTo(404);
    awaitFollowing();

    HttpResponse<String> created = admin.put("/admin/services/app", service("${APP_URL}"));
    assertThat(created.statusCode()).as("PUT created it").isEqualTo(201);
    assertThat(created.headers().firstValue("Location")).contains("/admin/services/app");
    assertThat(created.headers().firstValue("ETag")).contains("\"1\"");
    long before = System.nanoTime();
    HttpResponse<String> route = admin.post("/admin/routes", route("/things/**", "app").put("id", "things"));
    long returned = System.nanoTime();
    assertThat(route.statusCode()).as(route.body()).isEqualTo(201);
    assertThat(route.headers().firstValue("Location")).contains("/admin/routes/things");
    assertThat(route.headers().firstValue("ETag")).contains("\"2\"");

    Duration onA = await("node A serves the route", Duration.ofSeconds(20), () -> serves(nodeA, "/things/1"));
    Duration onB = await("node B serves the route", Duration.ofSeconds(20), () -> serves(nodeB, "/things/1"));
    System.out.printf("config change applied %d ms (node A) / %d ms (node B) after the Admin API returned"
        + " (the call took %d ms)%n", onA.toMillis(), onB.toMillis(), (returned - before) / 1_000_000);
    assertThat(upstream.requestCount()).isGreaterThanOrEqualTo(2);

    for (TestGateway node : List.of(nodeA, nodeB)) {
      JsonObject status = node.managementStatus().getJsonObject("controlPlane");
      assertThat(status.getString("source")).isEqualTo("control-plane");
      assertThat(status.getLong("appliedVersion")).isEqualTo(2L);
    }
    JsonObject whole = new JsonObject(admin.get("/admin/config").body());
    assertThat(whole.getLong("version")).isEqualTo(2L);
    assertThat(whole.getJsonObject("routes").getJsonObject("things").getString("path")).isEqualTo("/things/**");
    // Node B's Admin API reads the same store.
    assertThat(new JsonObject(new AdminClient(nodeB, VIEWER_KEY).get("/admin/routes").body())
        .getJsonObject("items").fieldNames()).containsExactly("things");
  }

  @Test
  void anInvalidChangeIsRefusedWithEveryErrorAndNothingIsWritten() throws Exception {
    admin.put("/admin/services/app", service("${APP_URL}"));
    admin.put("/admin/routes/good", route("/good/**", "app"));
    for (TestGateway node : List.of(nodeA, nodeB)) {
      await("both nodes serve the good route", Duration.ofSeconds(20), () -> serves(node, "/good/1"));
    }

    HttpResponse<String> refused = admin.put("/admin/routes/bad",
        new JsonObject().put("path", "no-leading-slash").put("service", "aap").put("timeouts",
            new JsonObject().put("response", "forever")));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.headers().firstValue("Content-Type")).contains("application/problem+json");
    JsonObject problem = new JsonObject(refused.body());
    assertThat(problem.getString("requestId")).isNotBlank();
    List<String> paths = new ArrayList<>();
    problem.getJsonArray("errors").forEach(e -> paths.add(((JsonObject) e).getString("path")));
    assertThat(paths).contains("routes[bad].path", "routes[bad].service", "routes[bad].timeouts.response");
    assertThat(problem.encode()).contains("did you mean 'app'");

    HttpResponse<String> conflicting = admin.put("/admin/routes/shadowed", route("/good/**", "app"));
    assertThat(conflicting.statusCode()).isEqualTo(422);
    assertThat(conflicting.body()).contains("routes[shadowed].path").contains("conflicts with route 'good'");

    // Deleting a service that a route still uses is refused the same way.
    HttpResponse<String> delete = admin.delete("/admin/services/app");
    assertThat(delete.statusCode()).isEqualTo(422);
    assertThat(delete.body()).contains("routes[good].service");

    assertThat(new JsonObject(admin.get("/admin/config").body()).getLong("version")).isEqualTo(2L);
    assertThat(serves(nodeA, "/good/1")).isTrue();
    assertThat(serves(nodeB, "/good/1")).isTrue();
  }

  @Test
  void writesAreAuthenticatedAuthorisedAndGuardedByTheVersion() {
    HttpResponse<String> anonymous = new AdminClient(nodeA, null).get("/admin/config");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
        .startsWith("Bearer"));
    assertThat(new AdminClient(nodeA, "wrong-key-0123456789abcdefghij").get("/admin/config").statusCode())
        .isEqualTo(401);
    AdminClient viewer = new AdminClient(nodeA, VIEWER_KEY);
    assertThat(viewer.get("/admin/config").statusCode()).isEqualTo(200);
    HttpResponse<String> forbidden = viewer.put("/admin/services/app", service("${APP_URL}"));
    assertThat(forbidden.statusCode()).isEqualTo(403);
    assertThat(forbidden.headers().firstValue("Content-Type")).contains("application/problem+json");

    HttpResponse<String> first = admin.put("/admin/services/app", service("${APP_URL}"), "\"0\"");
    assertThat(first.statusCode()).isEqualTo(201);
    HttpResponse<String> stale = admin.put("/admin/services/app", service("${APP_URL}").put("maxConnectionsPerTarget", 8),
        "\"0\"");
    assertThat(stale.statusCode()).isEqualTo(412);
    assertThat(stale.headers().firstValue("ETag")).contains("\"1\"");
    assertThat(admin.put("/admin/services/app", service("${APP_URL}").put("maxConnectionsPerTarget", 8), "\"1\"")
        .statusCode()).isEqualTo(200);

    // Secrets are references resolved on each node, never values stored in Postgres.
    HttpResponse<String> literal = admin.put("/admin/routes/r", route("/r/**", "app").put("rewrite",
        new JsonObject().put("setHeaders", new JsonObject().put("Authorization", "Bearer s3cr3t"))));
    assertThat(literal.statusCode()).isEqualTo(422);
    assertThat(literal.body()).contains("routes[r].rewrite.setHeaders.Authorization").doesNotContain("s3cr3t");
    assertThat(admin.put("/admin/routes/r", route("/r/**", "app").put("rewrite", new JsonObject()
        .put("setHeaders", new JsonObject().put("Authorization", "${APP_URL}")))).statusCode()).isEqualTo(201);

    // Only references the node lists may be used: the node's own secrets cannot be read through an error message.
    for (String probe : List.of("${ADMIN_KEY}", "${PG_PASSWORD:x}", "${file:/proc/self/environ}")) {
      HttpResponse<String> refused = admin.put("/admin/routes/probe", route("/probe/**", probe));
      assertThat(refused.statusCode()).as(probe).isEqualTo(422);
      assertThat(refused.body()).contains("routes[probe].service").doesNotContain(ADMIN_KEY);
    }
    assertThat(viewer.send("POST", "/admin/config/validate", new JsonObject(), null).statusCode()).isEqualTo(403);
  }

  @Test
  void apiKeysAreShownOnceAndAuthenticateOnEveryNode() throws Exception {
    admin.put("/admin/services/app", service("${APP_URL}"));
    admin.put("/admin/routes/private", new JsonObject().put("path", "/api/private/**").put("service", "app")
        .put("auth", new JsonObject().put("accept", new JsonArray().add("api-key"))));
    assertThat(admin.put("/admin/consumers/shop", new JsonObject().put("description", "the shop")).statusCode())
        .isEqualTo(201);
    HttpResponse<String> issued = admin.post("/admin/consumers/shop/keys", new JsonObject());
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
    JsonObject key = new JsonObject(issued.body());
    String plaintext = key.getString("key");
    assertThat(plaintext).hasSizeGreaterThan(30);
    assertThat(key.containsKey("hash")).isFalse();

    String listed = admin.get("/admin/consumers/shop/keys").body();
    assertThat(listed).doesNotContain(plaintext).doesNotContain("sha256:").contains(key.getString("id"));
    assertThat(admin.get("/admin/audit").body()).doesNotContain(plaintext).doesNotContain("sha256:");

    for (TestGateway node : List.of(nodeA, nodeB)) {
      await("the key works on " + node.port(), Duration.ofSeconds(20), () -> node.send(node.request("/api/private/x")
          .header("X-API-Key", plaintext).build()).statusCode() == 200);
      assertThat(node.get("/api/private/x").statusCode()).isEqualTo(401);
    }
    assertThat(admin.delete("/admin/consumers/shop/keys/" + key.getString("id")).statusCode()).isEqualTo(204);
    await("the revoked key is refused on node B", Duration.ofSeconds(20), () -> nodeB.send(nodeB
        .request("/api/private/x").header("X-API-Key", plaintext).build()).statusCode() == 401);
  }

  @Test
  void aPoisonRecordOnTheTopicIsSkippedAndCounted() throws Exception {
    admin.put("/admin/services/app", service("${APP_URL}"));
    admin.put("/admin/routes/one", route("/one/**", "app"));
    await("node B serves /one", Duration.ofSeconds(20), () -> serves(nodeB, "/one/x"));
    awaitFollowing();

    try (KafkaTopics topics = KafkaTopics.on(KafkaBroker.shared())) {
      topics.produce(topic, "config", "{not json");
      topics.produce(topic, "config", new JsonObject().put("type", "ConfigChanged").put("schemaVersion", 1)
          .put("version", 99).put("changes", "nope").encode());
    }
    await("node B counted the poison", Duration.ofSeconds(20), () -> nodeB.managementStatus()
        .getJsonObject("controlPlane").getLong("rejectedChanges") >= 2);
    assertThat(serves(nodeB, "/one/x")).isTrue();

    // A readable record that skips versions (or a marker for a change too large for the topic) sends the node to
    // Postgres, which has nothing newer: nothing changes, nothing breaks.
    long resyncs = nodeB.managementStatus().getJsonObject("controlPlane").getLong("resyncs");
    try (KafkaTopics topics = KafkaTopics.on(KafkaBroker.shared())) {
      topics.produce(topic, "config", new JsonObject().put("type", "ConfigChanged").put("schemaVersion", 1)
          .put("version", 50).put("occurredAt", "2026-11-23T10:00:00Z").put("actor", "ghost")
          .put("changes", new JsonArray().add(new JsonObject().put("op", "delete").put("kind", "routes")
              .put("id", "one"))).encode());
    }
    await("node B re-synced after the gap", Duration.ofSeconds(20), () -> nodeB.managementStatus()
        .getJsonObject("controlPlane").getLong("resyncs") > resyncs);
    assertThat(serves(nodeB, "/one/x")).as("the gap's own change was not applied").isTrue();

    admin.put("/admin/routes/two", route("/two/**", "app"));
    await("node B serves /two after the poison", Duration.ofSeconds(20), () -> serves(nodeB, "/two/x"));
    assertThat(nodeB.managementStatus().getJsonObject("controlPlane").getLong("appliedVersion")).isEqualTo(3L);
    PrometheusText metrics = PrometheusText.parse(nodeB.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + nodeB.managementPort() + "/metrics")).build()).body());
    assertThat(metrics.value("tollgate_config_rejected_total")).isGreaterThanOrEqualTo(2);
    assertThat(metrics.value("tollgate_config_store_version")).isEqualTo(3);
    assertThat(metrics.value("tollgate_config_last_known_good")).isZero();
  }

  @Test
  void theAuditChainDetectsAnEditedEntry() throws Exception {
    admin.put("/admin/services/app", service("${APP_URL}"));
    admin.put("/admin/routes/one", route("/one/**", "app"));
    admin.delete("/admin/routes/one");
    JsonObject audit = new JsonObject(admin.get("/admin/audit").body());
    assertThat(audit.getJsonArray("entries")).hasSize(3);
    JsonObject last = audit.getJsonArray("entries").getJsonObject(2).getJsonObject("entry");
    assertThat(last.getString("actor")).isEqualTo("ops");
    assertThat(last.getJsonArray("changes").getJsonObject(0).getJsonObject("before").getString("path"))
        .isEqualTo("/one/**");
    assertThat(new JsonObject(admin.get("/admin/audit/verify").body()).getBoolean("intact")).isTrue();

    PgConnection conn = PgConnection.connect(vertx, db.connectOptions()).await();
    conn.query("UPDATE tollgate_audit SET entry = replace(entry, '\"ops\"', '\"someone-else\"') WHERE seq = 2")
        .execute().await();
    conn.close().await();

    JsonObject verdict = new JsonObject(admin.get("/admin/audit/verify").body());
    assertThat(verdict.getBoolean("intact")).isFalse();
    assertThat(verdict.getString("problem")).contains("entry 2");

    // The command operators run from a shell says the same, with exit code 1.
    var out = new java.io.ByteArrayOutputStream();
    int exit = io.tollgate.store.AuditVerifierAccess.run(ControlPlaneNodes.url(db), db.password(), out);
    assertThat(exit).isEqualTo(1);
    assertThat(out.toString()).contains("TAMPERED").contains("entry 2");
  }

  @Test
  void theServedOpenApiDocumentIsTheOneInDocsAndEveryOtherAnswerIsAProblem() throws Exception {
    HttpResponse<String> document = admin.get("/admin/openapi.yaml");
    assertThat(document.statusCode()).isEqualTo(200);
    assertThat(document.body()).isEqualTo(java.nio.file.Files.readString(Path.of("../docs/admin-api.openapi.yaml")));
    for (String path : List.of("/admin/config:", "/admin/config/validate:", "/admin/{kind}/{id}:",
        "/admin/consumers/{id}/keys:", "/admin/audit:", "/admin/audit/verify:")) {
      assertThat(document.body()).contains("  " + path);
    }
    HttpResponse<String> unknown = admin.get("/admin/plugins");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type")).contains("application/problem+json");
    assertThat(new JsonObject(unknown.body()).getString("requestId")).isNotBlank();
    assertThat(admin.send("PATCH", "/admin/config", new JsonObject(), null).statusCode()).isEqualTo(405);
    HttpResponse<String> notJson = nodeA.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
            "http://127.0.0.1:" + nodeA.managementPort() + "/admin/services/x"))
        .header("Authorization", "Bearer " + ADMIN_KEY).header("Content-Type", "application/json")
        .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{\"targets\": [")).build());
    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(notJson.headers().firstValue("Content-Type")).contains("application/problem+json");
  }

  @Test
  void oneNodeRelaysAndAnotherTakesOverWhenItStops() throws Exception {
    awaitFollowing();
    admin.put("/admin/services/app", service("${APP_URL}"));
    await("one relay leads", Duration.ofSeconds(20), () -> relayLeaders() == 1);
    TestGateway leader = nodeA.managementStatus().getJsonObject("controlPlane").getJsonObject("relay")
        .getBoolean("leader") ? nodeA : nodeB;
    TestGateway survivor = leader == nodeA ? nodeB : nodeA;
    leader.close();
    if (leader == nodeA) {
      nodeA = null;
    } else {
      nodeB = null;
    }

    HttpResponse<String> written = new AdminClient(survivor, ADMIN_KEY).put("/admin/routes/after", route("/after/**", "app"));
    assertThat(written.statusCode()).isEqualTo(201);
    Duration took = await("the surviving node relays and serves the change", Duration.ofSeconds(30),
        () -> serves(survivor, "/after/x"));
    assertThat(survivor.managementStatus().getJsonObject("controlPlane").getJsonObject("relay").getBoolean("leader"))
        .isTrue();
    System.out.printf("relay failover: change served %d ms after the write%n", took.toMillis());
  }

  private int relayLeaders() {
    int leaders = 0;
    for (TestGateway node : List.of(nodeA, nodeB)) {
      if (node.managementStatus().getJsonObject("controlPlane").getJsonObject("relay").getBoolean("leader")) {
        leaders++;
      }
    }
    return leaders;
  }

  @Test
  void tokensOfTheConfiguredIssuerAuthenticateWithTheirRoles() throws Exception {
    String operator = io.tollgate.testing.VerifiedTokens.hs256(new JsonObject().put("sub", "alice")
        .put("roles", new JsonArray().add("tollgate-admin")), 300);
    String auditor = io.tollgate.testing.VerifiedTokens.hs256(new JsonObject().put("sub", "bob")
        .put("roles", new JsonArray().add("tollgate-viewer")), 300);
    String nobody = io.tollgate.testing.VerifiedTokens.hs256(new JsonObject().put("sub", "eve"), 300);
    String expired = io.tollgate.testing.VerifiedTokens.hs256(new JsonObject().put("sub", "alice")
        .put("roles", new JsonArray().add("tollgate-admin")), -120);
    String forged = operator.substring(0, operator.lastIndexOf('.') + 1) + "AAAA" + operator.substring(
        operator.lastIndexOf('.') + 5);

    await("the node has the issuer's key", Duration.ofSeconds(20), () -> new AdminClient(nodeA, operator)
        .get("/admin/config").statusCode() == 200);
    assertThat(new AdminClient(nodeA, operator).put("/admin/services/app", service("${APP_URL}")).statusCode())
        .isEqualTo(201);
    assertThat(new AdminClient(nodeA, auditor).get("/admin/services/app").statusCode()).isEqualTo(200);
    assertThat(new AdminClient(nodeA, auditor).delete("/admin/services/app").statusCode()).isEqualTo(403);
    assertThat(new AdminClient(nodeA, nobody).get("/admin/config").statusCode()).isEqualTo(403);
    assertThat(new AdminClient(nodeA, expired).get("/admin/config").statusCode()).isEqualTo(401);
    assertThat(new AdminClient(nodeA, forged).get("/admin/config").statusCode()).isEqualTo(401);
    JsonObject entry = new JsonObject(admin.get("/admin/audit").body()).getJsonArray("entries").getJsonObject(0)
        .getJsonObject("entry");
    assertThat(entry.getString("actor")).isEqualTo("sso:alice");
  }
}
