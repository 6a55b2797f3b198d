package io.tollgate.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.tollgate.testing.DeterministicBodyPublisher;
import io.tollgate.testing.GatewayProcess;
import io.tollgate.testkit.http.RawHttpClient;
import io.tollgate.testkit.http.RawResponse;
import io.tollgate.testkit.net.FreePorts;
import io.tollgate.testkit.peers.Behaviour;
import io.tollgate.testkit.peers.DeterministicBytes;
import io.tollgate.testkit.peers.RecordedRequest;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fat jar as an operator runs it — {@code java -Xmx128m -jar tollgate.jar --config <file>}, its own process —
 * in front of a real upstream peer in this JVM: 200 MiB both ways through a 128 MiB heap, startup time,
 * refusal of an invalid config, and a graceful drain on SIGTERM.
 */
class GatewayProcessIT {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayProcessIT.class);

  /** As in production images: a small heap, and die loudly rather than limp on after an OOM. */
  private static final List<String> JVM_ARGS = List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError");
  private static final long SIZE = 200L << 20;
  private static final Duration STARTUP_LIMIT = Duration.ofSeconds(20);
  private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(90);

  @RegisterExtension
  static final BlockedThreadGuard GUARD = new BlockedThreadGuard();

  private static Vertx vertx;
  private static HttpClient http;

  @BeforeAll
  static void startPeers() {
    vertx = Vertx.vertx(BlockedThreadGuard.vertxOptions().setEventLoopPoolSize(2));
    http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  @AfterAll
  static void stopPeers() {
    if (vertx != null) {
      Await.result(vertx.close(), Duration.ofSeconds(10));
    }
  }

  /** a + b + c: one gateway process, 128 MiB heap, 200 MiB transfers both ways. */
  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class StreamingThroughA128MiBHeap {

    private final String sha256 = DeterministicBytes.sha256(SIZE);
    private UpstreamPeer upstream;
    private GatewayProcess gateway;
    private Duration startup;

    @BeforeAll
    void launch(@TempDir Path dir) {
      upstream = UpstreamPeer.start(vertx);
      upstream.respondTo("/api/download/sized", Behaviour.ok().streamBytes(SIZE));
      upstream.respondTo("/api/download/chunked", Behaviour.ok().streamBytes(SIZE).chunked());
      Path config = GatewayProcess.writeConfig(dir, "tollgate.yaml", """
          listener:
            host: 127.0.0.1
            port: %d
          management:
            port: 0
          services:
            files:
              targets: [ "%s" ]
          routes:
            - id: files
              path: /api/**
              service: files
              auth: public
              maxBodySize: 1GiB
          """.formatted(FreePorts.next(), upstream.baseUrl()));
      gateway = GatewayProcess.launch(config, JVM_ARGS);
      startup = gateway.awaitReady(Duration.ofSeconds(30));
    }

    @AfterAll
    void stop() {
      if (gateway != null) {
        gateway.close();
      }
      if (upstream != null) {
        upstream.close();
      }
    }

    @Test
    @Order(1)
    void isReadyWithinTwentySeconds() {
      LOG.info("startup: ready line seen {} ms after launch (gateway reports {} ms from JVM start)",
          startup.toMillis(), gateway.reportedStartup().toMillis());
      assertThat(startup).isLessThan(STARTUP_LIMIT);
      assertStillServing();
    }

    @Test
    @Order(2)
    void uploadOf200MiBWithContentLengthStreamsThrough() throws Exception {
      RecordedRequest seen = upload("/api/upload/sized", DeterministicBodyPublisher.sized(SIZE));

      assertThat(seen.header("Content-Length")).isEqualTo(Long.toString(SIZE));
    }

    @Test
    @Order(3)
    void chunkedUploadOf200MiBStreamsThrough() throws Exception {
      RecordedRequest seen = upload("/api/upload/chunked", DeterministicBodyPublisher.chunked(SIZE));

      assertThat(seen.header("Transfer-Encoding")).isEqualToIgnoringCase("chunked");
    }

    @Test
    @Order(4)
    void downloadOf200MiBWithContentLengthStreamsThrough() throws Exception {
      HttpResponse<InputStream> response = download("/api/download/sized");

      assertThat(response.headers().firstValue("Content-Length")).hasValue(Long.toString(SIZE));
    }

    @Test
    @Order(5)
    void chunkedDownloadOf200MiBStreamsThrough() throws Exception {
      HttpResponse<InputStream> response = download("/api/download/chunked");

      assertThat(response.headers().firstValue("Transfer-Encoding")).hasValue("chunked");
    }

    private RecordedRequest upload(String path, HttpRequest.BodyPublisher body) throws Exception {
      long started = System.nanoTime();
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(gatewayUri(path)).timeout(TRANSFER_TIMEOUT).POST(body).build(),
          HttpResponse.BodyHandlers.ofString());
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(response.statusCode()).as("status of %s: %s", path, response.body()).isEqualTo(200);
      RecordedRequest seen = takeRequestTo(path);
      assertThat(seen.bodyCompleted()).as("upstream saw the whole body: %s", seen).isTrue();
      assertThat(seen.bodyBytes()).isEqualTo(SIZE);
      assertThat(seen.bodySha256()).isEqualTo(sha256);
      LOG.info("upload {}: 200 MiB in {} ms ({} MiB/s)", path, took.toMillis(), mibPerSecond(took));
      assertStillServing();
      return seen;
    }

    private HttpResponse<InputStream> download(String path) throws Exception {
      long started = System.nanoTime();
      HttpResponse<InputStream> response = http.send(
          HttpRequest.newBuilder(gatewayUri(path)).timeout(TRANSFER_TIMEOUT).GET().build(),
          HttpResponse.BodyHandlers.ofInputStream());
      assertThat(response.statusCode()).isEqualTo(200);
      MessageDigest digest = newSha256();
      long received = 0;
      try (InputStream in = response.body()) {
        byte[] buffer = new byte[DeterministicBytes.CHUNK_SIZE];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          digest.update(buffer, 0, n);
          received += n;
        }
      }
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(received).isEqualTo(SIZE);
      assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(sha256);
      LOG.info("download {}: 200 MiB in {} ms ({} MiB/s)", path, took.toMillis(), mibPerSecond(took));
      assertStillServing();
      return response;
    }

    /** The process is alive, answers a fresh request, and logged neither an OOM nor a blocked event loop. */
    private void assertStillServing() {
      assertThat(gateway.process().isAlive()).as("gateway process alive").isTrue();
      HttpResponse<String> health = send(HttpRequest.newBuilder(gatewayUri("/healthz")).GET().build());
      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(gateway.linesContaining("OutOfMemoryError")).isEmpty();
      assertThat(gateway.linesContaining("has been blocked for")).isEmpty();
    }

    private URI gatewayUri(String path) {
      return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    private RecordedRequest takeRequestTo(String path) {
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (true) {
        RecordedRequest seen = upstream.takeRequest(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        if (seen.path().equals(path)) {
          return seen;
        }
      }
    }
  }

  /** The process-wide flags: event loops and transport. */
  @Nested
  class ProcessFlags {

    @Test
    void eventLoopsAndTransportAreTakenFromTheCommandLineAndLogged(@TempDir Path dir) throws Exception {
      UpstreamPeer upstream = UpstreamPeer.start(vertx);
      upstream.respondTo("/api/hello", Behaviour.ok().body("hi"));
      Path config = GatewayProcess.writeConfig(dir, "tollgate.yaml", """
          listener: { host: 127.0.0.1, port: %d }
          management: { port: 0 }
          services:
            hello: { targets: [ "%s" ] }
          routes:
            - { id: hello, path: /api/**, service: hello, auth: public }
          """.formatted(FreePorts.next(), upstream.baseUrl()));
      try (GatewayProcess gateway = GatewayProcess.launch(config, JVM_ARGS,
          List.of("--event-loops", "3", "--transport", "nio"))) {
        gateway.awaitReady(STARTUP_LIMIT);
        assertThat(gateway.linesContaining("with 3 ingress instance(s), transport nio")).hasSize(1);
        HttpResponse<String> hello = http.send(HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + gateway.port() + "/api/hello")).timeout(TRANSFER_TIMEOUT).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("hi");
      } finally {
        upstream.close();
      }
    }

    @Test
    void aBadFlagValueIsAUsageErrorWithExitCode2(@TempDir Path dir) {
      Path config = GatewayProcess.writeConfig(dir, "tollgate.yaml", "listener: { port: 0 }\n");
      try (GatewayProcess zero = GatewayProcess.launch(config, JVM_ARGS, List.of("--event-loops", "0"));
          GatewayProcess epoll = GatewayProcess.launch(config, JVM_ARGS, List.of("--transport", "epoll"))) {
        assertThat(zero.process().awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
        assertThat(zero.linesContaining("--event-loops needs a positive integer, got '0'")).hasSize(1);
        assertThat(epoll.process().awaitExit(Duration.ofSeconds(20))).isEqualTo(2);
        assertThat(epoll.linesContaining("--transport is native or nio, got 'epoll'")).hasSize(1);
      }
    }
  }

  /** d: an invalid config is refused before anything listens. */
  @Nested
  class InvalidConfig {

    @Test
    void isRefusedWithExitCode2AndEveryErrorWithItsPath(@TempDir Path dir) {
      int port = FreePorts.next();
      int managementPort = FreePorts.next();
      Path config = GatewayProcess.writeConfig(dir, "broken.yaml", """
          listener:
            host: 127.0.0.1
            port: %d
          management:
            port: %d
            colour: blue
          services:
            service1:
              targets:
                - url: htp://127.0.0.1:9001
          routes:
            - id: orders
              path: /orders/**
              service: service1
            - id: orders
              path: /orders-v2/**
              service: service1
            - id: payments
              path: /payments/**
              service: srvice1
              timeouts: { response: -3s }
          """.formatted(port, managementPort));
      List<String> expected = List.of(
          "management.colour: unknown field",
          "services.service1.targets[0].url: bad URL 'htp://127.0.0.1:9001'",
          "routes[1].id: duplicate route id 'orders'",
          "routes[2].service: unknown service 'srvice1' (did you mean 'service1'?)",
          "routes[2].timeouts.response: must not be negative");

      try (GatewayProcess gateway = GatewayProcess.launch(config, JVM_ARGS)) {
        List<String> accepted = probeWhileAlive(gateway, port, managementPort);
        int exitCode = gateway.process().awaitExit(Duration.ofSeconds(20));

        assertThat(exitCode).as("exit code; output:\n%s", String.join("\n", gateway.process().lines()))
            .isEqualTo(2);
        List<String> errors = gateway.linesContaining("config error: ");
        for (String error : expected) {
          assertThat(errors).as("reported errors").anySatisfy(line -> assertThat(line).contains(error));
        }
        assertThat(errors).as("one line per error, nothing else").hasSize(expected.size());
        assertThat(gateway.linesContaining("refusing to start: " + expected.size() + " error(s)")).hasSize(1);
        assertThat(gateway.linesContaining("listening on")).isEmpty();
        assertThat(gateway.linesContaining("tollgate ready")).isEmpty();
        assertThat(accepted).as("connections accepted while the process ran").isEmpty();
        assertThat(accepts(port)).as("listener port accepts connections").isFalse();
        assertThat(accepts(managementPort)).as("management port accepts connections").isFalse();
      }
    }

    /** Tries both ports until the process exits; returns the ports that ever accepted a connection. */
    private List<String> probeWhileAlive(GatewayProcess gateway, int port, int managementPort) {
      List<String> accepted = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (gateway.process().isAlive() && System.nanoTime() < deadline) {
        for (int p : new int[] {port, managementPort}) {
          if (accepts(p)) {
            accepted.add("127.0.0.1:" + p);
          }
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
      return accepted;
    }
  }

  /** e: SIGTERM drains in-flight requests; readiness flips first, then the listener closes. */
  @Nested
  class GracefulShutdown {

    private static final Duration GRACE = Duration.ofSeconds(1);
    private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    private static final int BODY_BYTES = 1 << 20;

    @Test
    void sigtermFlipsReadinessClosesTheListenerAndLetsTheInFlightRequestFinish(@TempDir Path dir)
        throws Exception {
      int port = FreePorts.next();
      int managementPort = FreePorts.next();
      try (UpstreamPeer upstream = UpstreamPeer.start(vertx)) {
        // In flight for ~3 s: long enough to outlive the 1 s readiness grace by a wide margin.
        upstream.respondTo("/api/slow", Behaviour.ok().delayHeaders(Duration.ofMillis(1500))
            .delayBody(Duration.ofMillis(1500)).streamBytes(BODY_BYTES));
        Path config = GatewayProcess.writeConfig(dir, "tollgate.yaml", """
            listener:
              host: 127.0.0.1
              port: %d
            management:
              port: %d
            shutdown:
              readinessGrace: 1s
              drainTimeout: 10s
            services:
              slow:
                targets: [ "%s" ]
            routes:
              - id: slow
                path: /api/**
                service: slow
                auth: public
            """.formatted(port, managementPort, upstream.baseUrl()));

        try (GatewayProcess gateway = GatewayProcess.launch(config, JVM_ARGS)) {
          gateway.awaitReady(Duration.ofSeconds(30));
          CompletableFuture<HttpResponse<byte[]>> inFlight = http.sendAsync(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/slow"))
                  .timeout(Duration.ofSeconds(20)).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
          assertThat(upstream.takeRequest(Duration.ofSeconds(10)).path()).isEqualTo("/api/slow");

          long sigtermAt = System.nanoTime();
          gateway.process().sigterm();

          // Readiness flips at once, while the public listener still accepts (the grace period).
          JsonObject readiness = awaitNotReady(port);
          assertThat(readiness.getString("status")).isEqualTo("NOT_READY");
          assertThat(readiness.getJsonObject("checks").containsKey("draining")).as("%s", readiness).isTrue();

          // After the grace period new connections are refused, while the in-flight request still drains.
          Duration refusedAfter = awaitConnectionRefused(port, sigtermAt);
          assertThat(refusedAfter).isGreaterThanOrEqualTo(GRACE);
          assertThat(inFlight).as("in-flight request when the listener closed").isNotDone();
          assertThat(gateway.process().isAlive()).isTrue();
          RawResponse managementReadiness = readyz(managementPort);
          assertThat(managementReadiness.status()).isEqualTo(503);
          assertThat(new JsonObject(managementReadiness.bodyAsString()).getJsonObject("checks")
              .containsKey("draining")).isTrue();

          HttpResponse<byte[]> response = inFlight.get(20, TimeUnit.SECONDS);
          assertThat(response.statusCode()).isEqualTo(200);
          assertThat(response.body()).hasSize(BODY_BYTES);
          assertThat(HexFormat.of().formatHex(newSha256().digest(response.body())))
              .isEqualTo(DeterministicBytes.sha256(BODY_BYTES));

          int exitCode = gateway.process().awaitExit(GRACE.plus(DRAIN_TIMEOUT).plusSeconds(10));
          Duration stoppedAfter = Duration.ofNanos(System.nanoTime() - sigtermAt);
          LOG.info("shutdown: listener closed {} ms and process exited {} ms after SIGTERM",
              refusedAfter.toMillis(), stoppedAfter.toMillis());
          assertThat(exitCode).as("exit code; output:\n%s", String.join("\n", gateway.process().lines()))
              .isEqualTo(0);
          assertThat(stoppedAfter).isLessThan(GRACE.plus(DRAIN_TIMEOUT));
          assertThat(gateway.linesContaining("tollgate stopped")).hasSize(1);
        }
      }
    }

    /** Polls the public {@code /readyz} (a new connection each time) until it answers 503. */
    private JsonObject awaitNotReady(int port) throws IOException {
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (true) {
        RawResponse response;
        try {
          response = readyz(port);
        } catch (ConnectException e) {
          return fail("the listener closed before /readyz ever answered 503", e);
        }
        JsonObject readiness = new JsonObject(response.bodyAsString());
        // Probes read the status code, people read the body: both must tell the same story.
        assertThat(response.status()).as("status of %s", readiness)
            .isEqualTo("READY".equals(readiness.getString("status")) ? 200 : 503);
        if (response.status() == 503) {
          return readiness;
        }
        if (System.nanoTime() > deadline) {
          return fail("/readyz still answers 200 five seconds after SIGTERM");
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
    }

    /** Polls until a connection to {@code port} is refused; returns the time since {@code sinceNanos}. */
    private Duration awaitConnectionRefused(int port, long sinceNanos) {
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (accepts(port)) {
        if (System.nanoTime() > deadline) {
          fail("port " + port + " still accepts connections 10 s after SIGTERM");
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      return Duration.ofNanos(System.nanoTime() - sinceNanos);
    }

    private RawResponse readyz(int port) throws IOException {
      return RawHttpClient.exchange("127.0.0.1", port,
          "GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", Duration.ofSeconds(5));
    }
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("request failed: " + request, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + request, e);
    }
  }

  /** Whether a TCP connection to {@code 127.0.0.1:port} is accepted right now. */
  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static long mibPerSecond(Duration took) {
    return Math.round((SIZE / (double) (1 << 20)) / Math.max(0.001, took.toNanos() / 1e9));
  }

  private static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK ships SHA-256", e);
    }
  }
}
