package io.tollgate.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.peers.WebSocketClose;
import io.tollgate.testkit.peers.WebSocketEchoPeer;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WebSockets over time: many at once, a slow reader, a config reload and a graceful shutdown while sockets are
 * open. A gateway per test, watching its YAML file like {@code Main}.
 */
@ExtendWith(BlockedThreadGuard.class)
class WebSocketLifecycleIT {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketLifecycleIT.class);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String CONFIG = """
      listener: { port: 0 }
      management: { enabled: false }
      shutdown: { drainTimeout: 10s }
      services:
        ws:
          targets: [ "${WS_URL}" ]
      routes:
        - id: echo
          path: /echo/**
          service: ws
          auth: public
          websocket: { maxConnectionsPerClient: 0 }
      """;

  @TempDir
  Path dir;
  private Vertx vertx;
  private WebSocketEchoPeer upstream;
  private TestGateway gateway;
  private ClientSockets clients;
  private Path file;

  @BeforeEach
  void start() throws IOException {
    vertx = Vertx.vertx();
    upstream = WebSocketEchoPeer.start(vertx);
    file = dir.resolve("gateway.yaml");
    Files.writeString(file, CONFIG);
    gateway = TestGateway.startWatching(file, Map.of("WS_URL", "http://127.0.0.1:" + upstream.port()));
    clients = new ClientSockets(vertx, gateway.port());
  }

  @AfterEach
  void stop() {
    clients.close();
    if (gateway != null) {
      gateway.close();
    }
    upstream.close();
    vertx.close().await();
  }

  @Test
  void aThousandConcurrentWebSocketsEachEchoTheirOwnMessages() {
    long heapBefore = usedHeapAfterGc();
    long start = System.nanoTime();
    List<ClientSockets.Socket> sockets = openSockets(1_000);
    long opened = System.nanoTime();
    List<Future<Void>> written = new ArrayList<>();
    for (int i = 0; i < sockets.size(); i++) {
      written.add(sockets.get(i).ws.writeTextMessage("socket " + i));
    }
    Await.result(Future.all(written), WAIT);
    for (int i = 0; i < sockets.size(); i++) {
      assertThat(sockets.get(i).next()).isEqualTo("socket " + i);
    }
    long echoed = System.nanoTime();
    assertThat(upstream.openSockets()).isEqualTo(1_000);
    long heapDelta = usedHeapAfterGc() - heapBefore;
    LOG.info("1000 WebSockets: opened in {} ms, all echoed {} ms later; heap +{} MiB (gateway, peer and clients"
        + " in one JVM)", (opened - start) / 1_000_000, (echoed - opened) / 1_000_000, heapDelta >> 20);
    // Generous: ~30 KiB per socket for three endpoints (client, gateway both sides, peer) in one heap.
    assertThat(heapDelta).isLessThan(96L << 20);
    sockets.forEach(s -> s.ws.close());
    upstream.awaitOpenSockets(0, WAIT);
  }

  @Test
  void anUpgradedSocketFollowsItsRoutesIdleTimeoutNotTheListeners() throws Exception {
    try (TestGateway strict = TestGateway.start(CONFIG.replace("listener: { port: 0 }",
            "listener: { port: 0, idleTimeout: 1s }"), Map.of("WS_URL", "http://127.0.0.1:" + upstream.port()));
        ClientSockets strictClients = new ClientSockets(vertx, strict.port())) {
      ClientSockets.Socket socket = strictClients.connect("/echo/quiet");
      Thread.sleep(2_500); // silent for 2.5 × listener.idleTimeout; the route's idleTimeout is the default 5m
      assertThat(socket.closed).isNotDone();
      assertThat(socket.echo("still here")).isEqualTo("still here");
      socket.ws.close();
    }
  }

  @Test
  void aSlowReaderPushesBackToTheSenderInsteadOfFillingTheGatewaysHeap() throws Exception {
    ClientSockets.Socket socket = clients.connect("/echo/slow");
    long heapBefore = usedHeapAfterGc();
    socket.ws.pause(); // the client reads nothing: echoes pile up towards the gateway
    Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
    long offered = 256L << 20;
    CompletableFuture<Long> stalled = new CompletableFuture<>();
    vertx.runOnContext(v -> socket.pushUntilHeldBack(vertx, chunk, offered, Duration.ofSeconds(2))
        .whenComplete((n, e) -> stalled.complete(n)));
    long accepted = stalled.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Thread.sleep(1_000); // let anything still in flight settle
    long heapDelta = usedHeapAfterGc() - heapBefore;
    LOG.info("slow reader: the sender was held back after {} MiB of {} MiB offered; heap +{} MiB",
        accepted >> 20, offered >> 20, heapDelta >> 20);
    // ~35 MiB here, nearly all kernel socket buffers; without back-pressure all 256 MiB would pass.
    assertThat(accepted).as("bytes the sender could hand over before back-pressure").isLessThan(128L << 20);
    assertThat(heapDelta).isLessThan(48L << 20);

    long expected = accepted / chunk.length();
    long[] received = {0};
    socket.ws.binaryMessageHandler(b -> received[0]++);
    socket.ws.resume();
    Await.until(() -> received[0] + socket.pending() >= expected, WAIT,
        () -> "only " + received[0] + " of " + expected + " echoes arrived after the reader resumed");
  }

  @Test
  void aConfigReloadUnderOpenWebSocketsDropsNoneEvenWhenItRemovesTheirRoute() throws IOException {
    List<ClientSockets.Socket> sockets = openSockets(100);
    // The sockets' route goes away: they keep the snapshot they started with.
    Files.writeString(file, CONFIG.replace("/echo/**", "/moved/**").replace("id: echo", "id: moved"));
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(2)));
    Await.until(() -> gateway.get("/api/gateway/status").body().contains("\"configVersion\":2"), WAIT,
        () -> "the edited config never went live");
    for (int i = 0; i < sockets.size(); i++) {
      assertThat(sockets.get(i).echo("after reload " + i)).isEqualTo("after reload " + i);
      assertThat(sockets.get(i).closed).isNotDone();
    }
    assertThat(upstream.closes()).as("no upstream socket closed by the reload").isEmpty();
    assertThat(clients.refused("/echo/new", null).getStatus()).as("new sockets follow the new config").isEqualTo(404);
    assertThat(upstream.openSockets()).isEqualTo(100);
    sockets.forEach(s -> s.ws.close());
  }

  @Test
  void gracefulShutdownClosesOpenWebSocketsWith1001AndWaitsForTheirClose() throws Exception {
    List<ClientSockets.Socket> sockets = openSockets(20);
    long start = System.nanoTime();
    TestGateway stopping = gateway;
    gateway = null;
    CompletableFuture<Void> stopped = CompletableFuture.runAsync(stopping::close);
    for (ClientSockets.Socket socket : sockets) {
      ClientSockets.Closed closed = socket.awaitClose();
      assertThat(closed.code()).isEqualTo((short) 1001);
      assertThat(closed.reason()).isEqualTo("gateway shutting down");
    }
    upstream.awaitOpenSockets(0, WAIT);
    assertThat(upstream.closes()).extracting(WebSocketClose::code).containsOnly(1001);
    stopped.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    LOG.info("shutdown with 20 open WebSockets took {} ms", tookMs);
    assertThat(tookMs).as("closing handshakes finished well before the 10 s drain timeout").isLessThan(8_000);
  }

  private List<ClientSockets.Socket> openSockets(int n) {
    List<Future<ClientSockets.Socket>> pending = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pending.add(clients.connectAsync("/echo/" + i, null, List.of()));
    }
    Await.result(Future.all(pending), WAIT);
    return pending.stream().map(Future::result).toList();
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
