package io.tollgate.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.GatewayProcess;
import io.tollgate.testkit.net.FreePorts;
import io.tollgate.testkit.peers.WebSocketEchoPeer;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway as its own process with a 64 MiB heap ({@code -XX:+ExitOnOutOfMemoryError}) between WebSocket clients
 * that stop reading and an echo peer: whatever the clients try to push, the gateway's heap stays bounded (it would
 * die if it buffered what they offer), and once the readers resume every message arrives.
 */
class WebSocketHeapIT {

  private static final Logger LOG = LoggerFactory.getLogger(WebSocketHeapIT.class);
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final int SOCKETS = 8;
  private static final long OFFERED_PER_SOCKET = 256L << 20;

  @RegisterExtension
  static final BlockedThreadGuard GUARD = new BlockedThreadGuard();

  private Vertx vertx;
  private WebSocketEchoPeer upstream;
  private GatewayProcess gateway;
  private int managementPort;

  @BeforeEach
  void start(@TempDir Path dir) {
    vertx = Vertx.vertx(BlockedThreadGuard.vertxOptions().setEventLoopPoolSize(2));
    upstream = WebSocketEchoPeer.start(vertx);
    managementPort = FreePorts.next();
    Path config = GatewayProcess.writeConfig(dir, "tollgate.yaml", """
        listener: { host: 127.0.0.1, port: %d }
        management: { host: 127.0.0.1, port: %d }
        services:
          ws:
            targets: [ "http://127.0.0.1:%d" ]
        routes:
          - { id: echo, path: /echo/**, service: ws, auth: public, websocket: {} }
        """.formatted(FreePorts.next(), managementPort, upstream.port()));
    gateway = GatewayProcess.launch(config, List.of("-Xmx64m", "-XX:+ExitOnOutOfMemoryError"));
    gateway.awaitReady(Duration.ofSeconds(30));
  }

  @AfterEach
  void stop() {
    gateway.close();
    upstream.close();
    Await.result(vertx.close(), Duration.ofSeconds(10));
  }

  @Test
  void slowReadersHoldBackTheirSendersAndTheGatewayHeapStaysBounded() throws Exception {
    try (ClientSockets clients = new ClientSockets(vertx, gateway.port())) {
      List<ClientSockets.Socket> sockets = new ArrayList<>();
      for (int i = 0; i < SOCKETS; i++) {
        ClientSockets.Socket socket = clients.connect("/echo/" + i);
        socket.ws.pause(); // reads nothing: the echoes pile up towards the gateway
        sockets.add(socket);
      }
      Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
      List<CompletableFuture<Long>> pushed = new ArrayList<>();
      for (ClientSockets.Socket socket : sockets) {
        CompletableFuture<Long> held = new CompletableFuture<>();
        vertx.runOnContext(v -> socket.pushUntilHeldBack(vertx, chunk, OFFERED_PER_SOCKET, Duration.ofSeconds(3))
            .whenComplete((n, e) -> held.complete(n)));
        pushed.add(held);
      }
      long accepted = 0;
      for (CompletableFuture<Long> held : pushed) {
        accepted += held.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      double heapMiB = gatewayHeapUsedMiB();
      LOG.info("{} slow readers: senders held back after {} MiB in total ({} MiB offered); gateway heap {} MiB of 64",
          SOCKETS, accepted >> 20, (SOCKETS * OFFERED_PER_SOCKET) >> 20, String.format("%.1f", heapMiB));
      // Mostly kernel socket buffers (four per socket pair on loopback); far less than offered, and the process
      // could hold none of it in its heap.
      assertThat(accepted).as("bytes the senders could hand over").isLessThan(SOCKETS * OFFERED_PER_SOCKET / 2);
      assertThat(gateway.process().isAlive()).isTrue();
      assertThat(gateway.linesContaining("OutOfMemoryError")).isEmpty();

      long expected = accepted / chunk.length();
      AtomicLong received = new AtomicLong();
      for (ClientSockets.Socket socket : sockets) {
        vertx.runOnContext(v -> {
          socket.ws.binaryMessageHandler(b -> received.incrementAndGet());
          received.addAndGet(socket.pending());
          socket.ws.resume();
        });
      }
      Await.until(() -> received.get() >= expected, WAIT,
          () -> "only " + received.get() + " of " + expected + " echoes arrived after the readers resumed");
      assertThat(gateway.linesContaining("has been blocked for")).isEmpty();
    }
  }

  /** {@code jvm_memory_used_bytes{area="heap"}} summed over pools, from the gateway's own /metrics. */
  private double gatewayHeapUsedMiB() throws Exception {
    // HTTP/1.1 and a bound on the whole exchange: the JDK client's timeout covers only the response head, and a
    // CI run once hung here for minutes.
    HttpResponse<String> metrics = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
        .sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/metrics"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString())
        .get(30, TimeUnit.SECONDS);
    return io.tollgate.observability.PrometheusText.parse(metrics.body()).samples().stream()
        .filter(s -> s.name().equals("jvm_memory_used_bytes") && "heap".equals(s.label("area")))
        .mapToDouble(io.tollgate.observability.PrometheusText.Sample::value).sum() / (1 << 20);
  }
}
