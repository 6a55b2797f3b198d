package io.tollgate.sync;

import static io.tollgate.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The YAML file is watched: valid edits go live without a restart, invalid ones are refused. */
@ExtendWith(BlockedThreadGuard.class)
class ConfigReloadIT {

  private static final String BASE = """
      listener: { port: 0 }
      management: { enabled: false }
      services:
        app:
          targets: [ "${APP_URL}" ]
      routes:
        - id: first
          path: /first/**
          service: app
      """;

  @TempDir
  Path dir;
  private Vertx vertx;
  private UpstreamPeer upstream;
  private TestGateway gateway;
  private Path file;

  @BeforeEach
  void start() throws IOException {
    vertx = Vertx.vertx();
    upstream = UpstreamPeer.start(vertx);
    file = dir.resolve("gateway.yaml");
    Files.writeString(file, BASE);
    gateway = TestGateway.startWatching(file, Map.of("APP_URL", upstream.baseUrl()));
  }

  @AfterEach
  void stop() {
    gateway.close();
    vertx.close().await();
  }

  @Test
  void validEditGoesLiveAsTheNextVersion() throws IOException {
    assertProblem(gateway.get("/second/x"), 404, "route-not-found");
    rewrite(BASE + """
          - id: second
            path: /second/**
            service: app
        """);
    awaitResponse("/second/x", r -> r.statusCode() == 200);
    assertThat(gateway.get("/api/gateway/status").body()).contains("\"configVersion\":2");
    assertThat(gateway.get("/first/x").statusCode()).isEqualTo(200);
  }

  @Test
  void invalidEditIsRefusedWithEveryErrorAndTheLastGoodConfigKeepsServing() throws Exception {
    var rejected = new java.util.concurrent.CompletableFuture<io.vertx.core.json.JsonArray>();
    gateway.gateway().vertx().eventBus().<io.vertx.core.json.JsonArray>consumer(
        io.tollgate.events.Addresses.CONFIG_REJECTED, msg -> rejected.complete(msg.body()));
    rewrite(BASE.replace("/first/**", "first-without-slash").replace("service: app", "service: apq"));

    var errors = rejected.get(15, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(errors.stream().map(e -> ((io.vertx.core.json.JsonObject) e).getString("path")))
        .containsExactlyInAnyOrder("routes[0].path", "routes[0].service");
    assertThat(gateway.get("/first/x").statusCode()).isEqualTo(200);
    assertThat(gateway.get("/api/gateway/status").body()).contains("\"configVersion\":1");
    assertThat(gateway.get("/readyz").statusCode()).isEqualTo(200);
  }

  @Test
  void tokenIssuersFollowTheConfigWithoutARestart() throws IOException {
    var first = io.tollgate.testkit.auth.TokenIssuer.start(vertx);
    var second = io.tollgate.testkit.auth.TokenIssuer.start(vertx);
    String withIssuer = """
        auth:
          issuers:
            - { name: idp, discovery: "%s" }
        """;
    String secured = BASE.replace("service: app", "service: app\n    auth: { accept: [jwt] }");
    rewrite(withIssuer.formatted(first.discoveryUri()) + secured);
    awaitResponse("/first/x", r -> r.statusCode() == 401);
    String fromFirst = "Bearer " + first.token().sub("a").sign();
    String fromSecond = "Bearer " + second.token().sub("b").sign();
    awaitStatus("/first/x", fromFirst, 200);

    rewrite(withIssuer.formatted(second.discoveryUri()) + secured);
    awaitStatus("/first/x", fromSecond, 200);
    assertThat(gateway.send(gateway.request("/first/x").header("Authorization", fromFirst).GET().build())
        .statusCode()).as("the replaced issuer's tokens").isEqualTo(401);
  }

  private void awaitStatus(String path, String authorization, int status) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    int last = -1;
    while (System.nanoTime() < deadline && last != status) {
      last = gateway.send(gateway.request(path).header("Authorization", authorization).GET().build()).statusCode();
      if (last != status) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
    assertThat(last).as("status of %s", path).isEqualTo(status);
  }

  private void rewrite(String yaml) throws IOException {
    Files.writeString(file, yaml);
    // Make the change visible even on file systems with coarse timestamps.
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(2)));
  }

  private void awaitResponse(String path, Predicate<HttpResponse<String>> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      last = gateway.get(path);
      if (condition.test(last)) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("condition not met for " + path + "; last response " + last.statusCode() + " " + last.body());
  }
}
