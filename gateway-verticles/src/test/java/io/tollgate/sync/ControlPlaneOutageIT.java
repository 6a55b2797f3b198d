package io.tollgate.sync;

import static io.tollgate.sync.ControlPlaneNodes.ADMIN_KEY;
import static io.tollgate.sync.ControlPlaneNodes.await;
import static io.tollgate.sync.ControlPlaneNodes.serves;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The control plane when parts of it fail, with a Kafka broker and a Postgres server of the test's own (stopped and
 * restarted here): the outbox catches up after a Kafka outage, a node starts from its last-known-good file while
 * both are down, and config changes under load lose no request.
 */
@ExtendWith(BlockedThreadGuard.class)
class ControlPlaneOutageIT {

  private static KafkaBroker kafka;
  private static TestPostgres postgres;

  @TempDir
  Path dir;
  private Vertx vertx;
  private UpstreamPeer upstream;
  private TestDatabase db;
  private String topic;
  private final List<TestGateway> nodes = new ArrayList<>();

  @BeforeAll
  static void infrastructure() {
    kafka = KafkaBroker.startPrivate();
    postgres = TestPostgres.startPrivate();
  }

  @AfterAll
  static void stopInfrastructure() {
    kafka.close();
    postgres.close();
  }

  @BeforeEach
  void start(TestInfo test) {
    vertx = Vertx.vertx();
    upstream = UpstreamPeer.start(vertx);
    db = postgres.createDatabase("cpo_" + test.getTestMethod().orElseThrow().getName().toLowerCase());
    topic = KafkaTopics.uniqueName("config-outage");
  }

  @AfterEach
  void stop() {
    nodes.forEach(TestGateway::close);
    if (!kafka.isRunning()) {
      kafka.restart();
    }
    postgres.start();
    vertx.close().await();
  }

  private TestGateway node(String name, String pollInterval) {
    TestGateway node = TestGateway.start(ControlPlaneNodes.bootstrap(ControlPlaneNodes.url(db),
            kafka.bootstrapServers(), topic, dir.resolve(name + ".json"), pollInterval),
        ControlPlaneNodes.env(db, upstream.baseUrl()));
    nodes.add(node);
    return node;
  }

  private static JsonObject route(String path) {
    return new JsonObject().put("path", path).put("service", "app").put("auth", "public");
  }

  private static void seed(AdminClient admin, String... paths) {
    assertThat(admin.put("/admin/services/app", new JsonObject().put("targets", new JsonArray().add("${APP_URL}")))
        .statusCode()).isEqualTo(201);
    for (String path : paths) {
      String id = path.replaceAll("[^a-z]", "");
      assertThat(admin.put("/admin/routes/" + id, route(path + "/**")).statusCode()).isEqualTo(201);
    }
  }

  private static void awaitFollowing(TestGateway node) throws InterruptedException {
    await("node follows the config topic", Duration.ofSeconds(60), () -> node.managementStatus()
        .getJsonObject("controlPlane").getBoolean("followingTopic"));
  }

  @Test
  void theOutboxRelayCatchesUpAfterKafkaWasDownWhileWritesHappened() throws Exception {
    // A poll interval longer than the test: only the topic can bring the change.
    TestGateway a = node("a", "10m");
    TestGateway b = node("b", "10m");
    awaitFollowing(a);
    awaitFollowing(b);
    AdminClient admin = new AdminClient(a, ADMIN_KEY);
    seed(admin, "/before");
    await("node B serves /before", Duration.ofSeconds(20), () -> serves(b, "/before/x"));

    kafka.stop();
    HttpResponse<String> written = admin.put("/admin/routes/during", route("/during/**"));
    assertThat(written.statusCode()).as("writes go to Postgres while Kafka is down").isEqualTo(201);
    await("the relay reports the pending change", Duration.ofSeconds(20), () -> a.managementStatus()
        .getJsonObject("controlPlane").getJsonObject("relay").getLong("pending") >= 1);
    Thread.sleep(500);
    assertThat(serves(b, "/during/x")).isFalse();

    kafka.restart();
    Duration caughtUp = await("node B serves /during after Kafka returned", Duration.ofSeconds(90),
        () -> serves(b, "/during/x"));
    await("node A serves /during", Duration.ofSeconds(30), () -> serves(a, "/during/x"));
    System.out.printf("outbox relayed and applied %d ms after the broker restarted%n", caughtUp.toMillis());
    await("the outbox is empty", Duration.ofSeconds(30), () -> a.managementStatus()
        .getJsonObject("controlPlane").getJsonObject("relay").getLong("pending") == 0);
    assertThat(serves(b, "/before/x")).isTrue();
  }

  @Test
  void aNodeStartsFromItsLastKnownGoodConfigWhileKafkaAndPostgresAreDown() throws Exception {
    TestGateway a = node("a", "30s");
    seed(new AdminClient(a, ADMIN_KEY), "/kept");
    await("node A serves /kept", Duration.ofSeconds(20), () -> serves(a, "/kept/x"));
    Path saved = dir.resolve("a.json");
    await("the last-known-good file is written", Duration.ofSeconds(10), () -> Files.exists(saved)
        && Files.isReadable(saved) && readable(saved).contains("/kept/**"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved))).isEqualTo("rw-------");
    a.close();
    nodes.remove(a);

    kafka.stop();
    postgres.stop();
    TestGateway restarted = node("a", "30s");
    assertThat(serves(restarted, "/kept/x")).isTrue();
    HttpResponse<String> ready = restarted.get("/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonObject status = restarted.managementStatus().getJsonObject("controlPlane");
    assertThat(status.getString("source")).isEqualTo("last-known-good");
    assertThat(status.getLong("appliedVersion")).isEqualTo(2L);
    await("the status names the unreachable store", Duration.ofSeconds(30), () -> restarted.managementStatus()
        .getJsonObject("controlPlane").getString("lastError") != null);
    assertThat(restarted.get("/api/gateway/status").body()).contains("last-known-good");

    // The control plane returns: the node moves over to it by itself.
    postgres.start();
    kafka.restart();
    await("the node follows the control plane again", Duration.ofSeconds(90), () -> "control-plane".equals(
        restarted.managementStatus().getJsonObject("controlPlane").getString("source")));
    assertThat(serves(restarted, "/kept/x")).isTrue();
  }

  private static String readable(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  @Test
  void configChangesUnderLoadLoseNoRequestAndInFlightRequestsFinish() throws Exception {
    TestGateway a = node("a", "30s");
    TestGateway b = node("b", "30s");
    AdminClient admin = new AdminClient(a, ADMIN_KEY);
    seed(admin, "/stable", "/slow", "/download");
    upstream.respondTo("/slow", Behaviour.ok().delayHeaders(Duration.ofSeconds(3)).body("slow but complete"));
    long size = 16L << 20;
    upstream.respondTo("/download", Behaviour.ok().streamBytes(size));
    for (TestGateway node : List.of(a, b)) {
      await("serves /stable", Duration.ofSeconds(20), () -> serves(node, "/stable/x"));
    }

    await("serves /download", Duration.ofSeconds(20), () -> serves(b, "/download/x"));
    CompletableFuture<HttpResponse<String>> inFlight = b.http().sendAsync(b.request("/slow/x").build(),
        HttpResponse.BodyHandlers.ofString());
    // A download read slowly (about 4 s) stays open across the changes, including the removal of its route.
    CompletableFuture<String> download = CompletableFuture.supplyAsync(() -> slowSha256(b, "/download/x"));
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    List<Thread> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      TestGateway target = i % 2 == 0 ? a : b;
      Thread client = new Thread(() -> {
        while (running.get()) {
          try {
            HttpResponse<String> response = target.get("/stable/x");
            if (response.statusCode() == 200) {
              ok.incrementAndGet();
            } else {
              failures.add(response.statusCode() + " " + response.body());
            }
          } catch (RuntimeException e) {
            failures.add(e.toString());
          }
        }
      }, "load-" + i);
      client.start();
      clients.add(client);
    }
    for (int i = 0; i < 20; i++) {
      assertThat(admin.put("/admin/routes/extra" + i, route("/extra" + i + "/**")).statusCode()).isEqualTo(201);
      if (i == 5) {
        // The slow request's and the download's routes go away while they are in flight.
        assertThat(admin.delete("/admin/routes/slow").statusCode()).isEqualTo(204);
        assertThat(admin.delete("/admin/routes/download").statusCode()).isEqualTo(204);
      }
      Thread.sleep(50);
    }
    await("node B has every change", Duration.ofSeconds(20), () -> serves(b, "/extra19/x"));
    running.set(false);
    for (Thread client : clients) {
      client.join();
    }
    HttpResponse<String> slow = inFlight.get(20, java.util.concurrent.TimeUnit.SECONDS);
    System.out.printf("%d requests during 21 config changes, %d failed%n", ok.get(), failures.size());
    assertThat(failures).isEmpty();
    assertThat(ok.get()).isGreaterThan(50);
    assertThat(slow.statusCode()).isEqualTo(200);
    assertThat(slow.body()).isEqualTo("slow but complete");
    assertThat(b.get("/slow/x").statusCode()).isEqualTo(404);
    assertThat(download.get(60, java.util.concurrent.TimeUnit.SECONDS))
        .isEqualTo(io.tollgate.testkit.peers.DeterministicBytes.sha256(size));
  }

  /** Reads a response body 64 KiB at a time with pauses, and returns its SHA-256 (hex). */
  private static String slowSha256(TestGateway node, String path) {
    try {
      HttpResponse<java.io.InputStream> response = node.http().send(node.request(path).build(),
          HttpResponse.BodyHandlers.ofInputStream());
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      try (java.io.InputStream in = response.body()) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          sha.update(buffer, 0, n);
          Thread.sleep(15);
        }
      }
      return java.util.HexFormat.of().formatHex(sha.digest());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void anOpenWebSocketSurvivesConfigChangesThatRemoveItsRoute() throws Exception {
    io.tollgate.testkit.peers.WebSocketEchoPeer echo = io.tollgate.testkit.peers.WebSocketEchoPeer.start(vertx);
    TestGateway a = node("a", "30s");
    TestGateway b = node("b", "30s");
    AdminClient admin = new AdminClient(a, ADMIN_KEY);
    seed(admin);
    assertThat(admin.put("/admin/services/ws", new JsonObject().put("targets", new JsonArray()
        .add("http://127.0.0.1:" + echo.port()))).statusCode()).isEqualTo(201);
    assertThat(admin.put("/admin/routes/ws", new JsonObject().put("path", "/ws/**").put("service", "ws")
        .put("auth", "public").put("websocket", new JsonObject())).statusCode()).isEqualTo(201);
    await("node B routes /ws", Duration.ofSeconds(20), () -> b.get("/ws/x").statusCode() != 404);
    try (io.tollgate.websocket.ClientSockets clients = new io.tollgate.websocket.ClientSockets(vertx, b.port())) {
      io.tollgate.websocket.ClientSockets.Socket socket = clients.connect("/ws/chat");
      assertThat(socket.echo("before")).isEqualTo("before");

      assertThat(admin.delete("/admin/routes/ws").statusCode()).isEqualTo(204);
      assertThat(admin.put("/admin/routes/other", route("/other/**")).statusCode()).isEqualTo(201);
      await("node B dropped the route", Duration.ofSeconds(20), () -> b.get("/ws/x").statusCode() == 404);

      assertThat(socket.echo("after the reload")).isEqualTo("after the reload");
      assertThat(socket.closed).isNotDone();
      assertThat(echo.closes()).as("no upstream socket was closed").isEmpty();
    } finally {
      echo.close();
    }
  }
}
