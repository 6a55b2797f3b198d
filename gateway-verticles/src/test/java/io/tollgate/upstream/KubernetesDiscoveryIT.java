package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.observability.PrometheusText;
import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.kubernetes.EndpointSlice;
import io.tollgate.testkit.kubernetes.KubeApiServer;
import io.tollgate.testkit.kubernetes.SelfSignedCert;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kubernetes EndpointSlices discovery against real peers: API servers from the test kit speaking the list/watch
 * protocol over TLS (self-signed, trusted through {@code caFile}, bearer token from {@code tokenFile}), and upstream
 * HTTP servers on 127.0.0.1–3 sharing one port. Each test has its own Kubernetes Service (and gateway service), so
 * the tests do not depend on each other; those that stop an API server have their own.
 */
@ExtendWith(BlockedThreadGuard.class)
class KubernetesDiscoveryIT {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String NS = "shop";
  private static final String TOKEN = "service-account-token";

  @TempDir
  static Path dir;
  private static Vertx vertx;
  private static KubeApiServer api;
  private static KubeApiServer downApi;
  private static KubeApiServer goneApi;
  private static Path wrongTokenFile;
  private static UpstreamPeer one;
  private static UpstreamPeer two;
  private static UpstreamPeer three;
  private static TestGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    SelfSignedCert cert = SelfSignedCert.create(dir);
    SelfSignedCert stranger = SelfSignedCert.create(Files.createDirectory(dir.resolve("stranger")));
    api = KubeApiServer.start(vertx, cert, TOKEN);
    downApi = KubeApiServer.start(vertx, cert, TOKEN);
    goneApi = KubeApiServer.start(vertx, cert, TOKEN);
    one = UpstreamPeer.start(vertx, "127.0.0.1", 0);
    two = UpstreamPeer.start(vertx, "127.0.0.2", one.port());
    three = UpstreamPeer.start(vertx, "127.0.0.3", one.port());
    Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    wrongTokenFile = Files.writeString(dir.resolve("wrong-token"), "not-the-token");
    int port = one.port();
    api.put(NS, slice("alpha-x1", "alpha").ready("127.0.0.1").ready("127.0.0.2").json());
    api.put(NS, slice("beta-x1", "beta").ready("127.0.0.1").json());
    api.put(NS, slice("delta-x1", "delta").ready("127.0.0.1").json());
    api.put(NS, slice("zeta-x1", "zeta").ready("127.0.0.2").json());
    api.put(NS, slice("eta-x1", "eta").ready("127.0.0.2").json());
    downApi.put(NS, slice("epsilon-x1", "epsilon").ready("127.0.0.1").ready("127.0.0.3").json());
    goneApi.put(NS, slice("gamma-x1", "gamma").ready("127.0.0.1").json());
    StringBuilder services = new StringBuilder();
    StringBuilder routes = new StringBuilder();
    for (String service : List.of("alpha", "beta", "delta", "epsilon", "gamma", "zeta", "eta")) {
      String server = service.equals("epsilon") ? "${down}" : service.equals("gamma") ? "${gone}" : "${api}";
      String token = service.equals("zeta") ? "${wrongToken}" : "${token}";
      String ca = service.equals("eta") ? "${strangerCa}" : "${ca}";
      services.append("""
            %s:
              loadBalancer: round-robin
              discovery:
                kubernetes: { namespace: shop, service: %s, port: http, apiServer: "%s", tokenFile: "%s", caFile: "%s" }
          """.formatted(service, service, server, token, ca));
      routes.append("  - { id: %s, path: /%s/**, service: %s, auth: public }\n".formatted(service, service, service));
    }
    gateway = TestGateway.start("listener: { port: 0 }\nmanagement: { port: 0 }\nservices:\n" + services
        + "routes:\n" + routes, Map.of("api", api.url(), "down", downApi.url(), "gone", goneApi.url(),
        "token", tokenFile.toString(), "wrongToken", wrongTokenFile.toString(), "ca", cert.pem().toString(), "strangerCa", stranger.pem().toString()));
    assertThat(port).isPositive();
  }

  @AfterAll
  static void stop() {
    gateway.close();
    one.close();
    two.close();
    three.close();
    api.close();
    downApi.close();
    goneApi.close();
    vertx.close();
  }

  @Test
  void theListedEndpointsServeAndAnEndpointThatTurnsNotReadyGetsNoMoreTraffic() {
    awaitTargets("alpha", "127.0.0.1", "127.0.0.2");
    int[] before = counts();
    sendAll("alpha", 20);
    assertThat(delta(before)).containsExactly(10, 10, 0);

    api.put(NS, slice("alpha-x1", "alpha").ready("127.0.0.1").endpoint("127.0.0.2", false, false, true).json());
    awaitTargets("alpha", "127.0.0.1");
    before = counts();
    sendAll("alpha", 10);
    assertThat(delta(before)).as("nothing to the pod that is not ready").containsExactly(10, 0, 0);

    // No ready endpoint left: the terminating ones that still serve are used (kube-proxy's fallback).
    api.put(NS, slice("alpha-x1", "alpha").endpoint("127.0.0.1", false, false, true)
        .endpoint("127.0.0.2", false, true, true).json());
    awaitTargets("alpha", "127.0.0.2");
    before = counts();
    sendAll("alpha", 4);
    assertThat(delta(before)).containsExactly(0, 4, 0);
  }

  @Test
  void aSecondSliceAddsTargetsAndADeletedSliceTakesItsTargetsAway() {
    awaitTargets("beta", "127.0.0.1");
    api.put(NS, slice("beta-x2", "beta").ready("127.0.0.3").json());
    awaitTargets("beta", "127.0.0.1", "127.0.0.3");
    int[] before = counts();
    sendAll("beta", 10);
    assertThat(delta(before)).containsExactly(5, 0, 5);
    assertThat(discovery("beta").getInteger("slices")).isEqualTo(2);

    api.delete(NS, "beta-x1");
    awaitTargets("beta", "127.0.0.3");
    before = counts();
    sendAll("beta", 6);
    assertThat(delta(before)).containsExactly(0, 0, 6);
  }

  @Test
  void aDroppedWatchIsReopenedFromItsResourceVersionWithoutListingAgain() {
    awaitTargets("delta", "127.0.0.1");
    Await.until(() -> "watching".equals(discovery("delta").getString("watch")), WAIT, () -> "" + discovery("delta"));
    long lists = gateway.counter(TargetDiscovery.KUBERNETES + ".list.delta");
    long relists = gateway.counter(TargetDiscovery.KUBERNETES + ".relist.delta");
    int watches = api.watchRequests();
    api.dropWatches();
    api.put(NS, slice("delta-x1", "delta").ready("127.0.0.2").json());
    awaitTargets("delta", "127.0.0.2");
    assertThat(api.watchRequests()).as("watches re-opened").isGreaterThan(watches);
    assertThat(gateway.counter(TargetDiscovery.KUBERNETES + ".list.delta")).isEqualTo(lists);
    assertThat(gateway.counter(TargetDiscovery.KUBERNETES + ".relist.delta")).isEqualTo(relists);
    int before = two.requestCount();
    sendAll("delta", 3);
    assertThat(two.requestCount()).isEqualTo(before + 3);

    // A bookmark moves the resourceVersion a re-watch starts from, with no change to the set.
    api.put(NS, slice("unrelated", "other").ready("127.0.0.9").json());
    Await.until(() -> api.openWatches() > 0, WAIT, () -> "no watch");
    api.bookmark();
    Await.until(() -> api.resourceVersion().equals(discovery("delta").getString("resourceVersion")), WAIT,
        () -> "at " + discovery("delta") + ", server at " + api.resourceVersion());
    awaitTargets("delta", "127.0.0.2");
  }

  @Test
  void goneMeansListAgainAndTheSetConverges() {
    awaitTargets("gamma", "127.0.0.1");
    long relists = gateway.counter(TargetDiscovery.KUBERNETES + ".relist.gamma");
    // While the gateway cannot reach it, the slice changes and the history is compacted: the gateway's
    // resourceVersion is gone when it comes back, so it must list again.
    goneApi.stop();
    goneApi.put(NS, slice("gamma-x1", "gamma").ready("127.0.0.3").json());
    goneApi.put(NS, slice("gamma-x2", "gamma").ready("127.0.0.2").json());
    goneApi.compact();
    goneApi.restart();
    awaitTargets("gamma", "127.0.0.2", "127.0.0.3");
    assertThat(gateway.counter(TargetDiscovery.KUBERNETES + ".relist.gamma")).isGreaterThan(relists);

    // A 410 on an open watch (the watch cache fell behind) also lists again.
    relists = gateway.counter(TargetDiscovery.KUBERNETES + ".relist.gamma");
    Await.until(() -> goneApi.openWatches() > 0, WAIT, () -> "no watch");
    goneApi.compact();
    goneApi.put(NS, slice("gamma-x2", "gamma").ready("127.0.0.1").json());
    awaitTargets("gamma", "127.0.0.1", "127.0.0.3");
    long after = relists;
    Await.until(() -> gateway.counter(TargetDiscovery.KUBERNETES + ".relist.gamma") > after, WAIT,
        () -> "no relist");
  }

  @Test
  void whileTheApiServerIsDownTheLastGoodSetKeepsServing() {
    awaitTargets("epsilon", "127.0.0.1", "127.0.0.3");
    downApi.stop();
    try {
      Await.until(() -> "backing-off".equals(discovery("epsilon").getString("watch")), WAIT,
          () -> "" + discovery("epsilon"));
      int[] before = counts();
      sendAll("epsilon", 10);
      assertThat(delta(before)).containsExactly(5, 0, 5);
      assertThat(discovery("epsilon").getString("lastError")).contains(downApi.url());
      assertThat(discovery("epsilon").getInteger("resolved")).isEqualTo(2);
    } finally {
      downApi.put(NS, slice("epsilon-x1", "epsilon").ready("127.0.0.3").json());
      downApi.restart();
    }
    awaitTargets("epsilon", "127.0.0.3");
    Await.until(() -> discovery("epsilon").getString("lastError") == null, WAIT, () -> "" + discovery("epsilon"));
    assertThat(discovery("epsilon").getString("watch")).isEqualTo("watching");
  }

  @Test
  void anApiServerWhoseCertificateTheCaFileDoesNotVouchForIsNeverTrusted() {
    Await.until(() -> gateway.counter(TargetDiscovery.KUBERNETES + ".error.eta") > 1, WAIT, () -> "no error");
    assertThat(discovery("eta").getInteger("resolved")).isZero();
    assertThat(discovery("eta").getString("watch")).isEqualTo("backing-off");
    assertThat(gateway.get("/eta/x").statusCode()).isEqualTo(503);
    assertThat(gateway.counter(TargetDiscovery.KUBERNETES + ".list.eta")).isZero();
  }

  @Test
  void aWrongTokenIsCountedAndShownAndARotatedFileIsPickedUp() throws Exception {
    Await.until(() -> gateway.counter(TargetDiscovery.KUBERNETES + ".error.zeta") > 0, WAIT, () -> "no error");
    JsonObject status = discovery("zeta");
    assertThat(status.getString("lastError")).contains("401");
    assertThat(status.getString("watch")).isEqualTo("backing-off");
    assertThat(status.getInteger("resolved")).isZero();
    assertThat(gateway.get("/zeta/x").statusCode()).isEqualTo(503);
    PrometheusText metrics = PrometheusText.parse(gateway.managementGet("/metrics"));
    assertThat(metrics.value("tollgate_upstream_kubernetes_watch_total", "service", "zeta", "kind", "error"))
        .isPositive();
    assertThat(metrics.value("tollgate_upstream_kubernetes_targets", "service", "zeta")).isZero();

    Files.writeString(wrongTokenFile, TOKEN); // the token rotated: re-read after the next 401
    awaitTargets("zeta", "127.0.0.2");
    assertThat(gateway.get("/zeta/x").statusCode()).isEqualTo(200);
    assertThat(discovery("zeta").getString("watch")).isEqualTo("watching");
  }

  private static EndpointSlice slice(String name, String service) {
    return EndpointSlice.ipv4(name, service).port("http", one.port()).port("metrics", 9090);
  }

  private static void awaitTargets(String service, String... ips) {
    List<String> expected = java.util.Arrays.stream(ips).map(ip -> ip + ":" + one.port()).toList();
    Await.until(() -> addresses(service).equals(expected), WAIT,
        () -> service + " has " + addresses(service) + ", " + discovery(service));
  }

  private static List<String> addresses(String service) {
    return gateway.serviceStatus(service).getJsonArray("targets").stream()
        .map(t -> ((JsonObject) t).getString("address")).toList();
  }

  private static JsonObject discovery(String service) {
    return gateway.serviceStatus(service).getJsonObject("discovery");
  }

  private static void sendAll(String service, int n) {
    for (int i = 0; i < n; i++) {
      assertThat(gateway.get("/" + service + "/" + i).statusCode()).isEqualTo(200);
    }
  }

  private static int[] counts() {
    return new int[] {one.requestCount(), two.requestCount(), three.requestCount()};
  }

  private static int[] delta(int[] before) {
    int[] now = counts();
    return new int[] {now[0] - before[0], now[1] - before[1], now[2] - before[2]};
  }
}
