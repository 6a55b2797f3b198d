package io.tollgate.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tollgate.testing.TestGateway;
import io.tollgate.testing.VerifiedTokens;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bytes the gateway's event loops allocate per proxied request — a steady figure, unlike throughput on these
 * shared machines — for the plain route and for the chain of policies in front of it (JWT, rate limit). Fails when
 * either grows more than 25 % over the committed baseline ({@code allocation-baseline.properties}); when a change
 * lowers it for good, lower the baseline in the same commit.
 *
 * <p>Only the gateway runs on Vert.x threads here: the upstream is the JDK's {@code HttpServer} and the client the
 * JDK's {@code HttpClient}, so {@code ThreadMXBean} allocation counters of {@code vert.x-eventloop-thread-*} are
 * the gateway's alone. Warm-up requests (JIT, pools, caches) are not counted.
 */
@ExtendWith(BlockedThreadGuard.class)
class AllocationPerRequestIT {

  private static final Logger LOG = LoggerFactory.getLogger(AllocationPerRequestIT.class);
  private static final int WARM_UP = 10_000;
  private static final int MEASURED = 10_000;
  private static final double ALLOWED_GROWTH = 1.25;
  private static final byte[] BODY = new byte[1024];

  private static HttpServer upstream;
  private static TestGateway gateway;
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static String token;

  @BeforeAll
  static void start() throws IOException {
    // Without TCP_NODELAY the JDK server's separate head and body writes meet delayed ACKs: 40 ms per request.
    System.setProperty("sun.net.httpserver.nodelay", "true");
    upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    upstream.setExecutor(Executors.newFixedThreadPool(2, r -> new Thread(r, "jdk-upstream")));
    upstream.createContext("/", exchange -> {
      try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
        in.readAllBytes();
        exchange.sendResponseHeaders(200, BODY.length);
        out.write(BODY);
      }
    });
    upstream.start();
    gateway = TestGateway.start("""
        listener: { port: 0, instances: 1 }
        management: { port: 0 }
        auth:
          issuers:
            - { name: main, issuer: "${ISSUER}", hs256Secret: "${SECRET}" }
        rateLimiting:
          policies:
            roomy: [ { name: roomy, rate: 1000000/s, key: [sub] } ]
        services:
          up: { targets: [ "http://127.0.0.1:${UP_PORT}" ] }
        routes:
          - { id: plain, path: /plain/**, service: up, auth: public }
          - { id: chain, path: /api/chain/**, service: up, rateLimit: roomy, auth: { claimHeaders: { sub: X-User-Id } } }
        """, Map.of("ISSUER", VerifiedTokens.ISSUER, "SECRET", VerifiedTokens.SECRET_TEXT,
        "UP_PORT", String.valueOf(upstream.getAddress().getPort())));
    token = VerifiedTokens.hs256(new JsonObject().put("sub", "alice"), 3600);
  }

  @AfterAll
  static void stop() {
    gateway.close();
    upstream.stop(0);
  }

  @Test
  void allocationPerProxiedRequestStaysWithinItsBaseline() throws Exception {
    Properties baseline = new Properties();
    try (InputStream in = getClass().getResourceAsStream("/allocation-baseline.properties")) {
      baseline.load(in);
    }
    HttpRequest plain = gateway.request("/plain/x").GET().build();
    HttpRequest chain = gateway.request("/api/chain/x").header("Authorization", "Bearer " + token).GET().build();

    long plainBytes = bytesPerRequest(plain);
    long chainBytes = bytesPerRequest(chain);
    LOG.info("allocated per proxied request: plain route {} B (baseline {}), JWT + rate limit {} B (baseline {})",
        plainBytes, baseline.getProperty("plain"), chainBytes, baseline.getProperty("chain"));

    assertThat(plainBytes).as("plain route, bytes per request")
        .isLessThanOrEqualTo((long) (Long.parseLong(baseline.getProperty("plain")) * ALLOWED_GROWTH));
    assertThat(chainBytes).as("JWT + rate-limit route, bytes per request")
        .isLessThanOrEqualTo((long) (Long.parseLong(baseline.getProperty("chain")) * ALLOWED_GROWTH));
  }

  private static long bytesPerRequest(HttpRequest request) throws Exception {
    send(request, WARM_UP);
    long before = eventLoopAllocatedBytes();
    send(request, MEASURED);
    return (eventLoopAllocatedBytes() - before) / MEASURED;
  }

  private static void send(HttpRequest request, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      HttpResponse<Void> response = CLIENT.send(request, HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() != 200) {
        throw new AssertionError("request " + i + " to " + request.uri() + " answered " + response.statusCode());
      }
    }
  }

  private static long eventLoopAllocatedBytes() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long[] ids = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("vert.x-eventloop-thread-"))
        .mapToLong(Thread::getId).toArray();
    return Arrays.stream(threads.getThreadAllocatedBytes(ids)).filter(b -> b > 0).sum();
  }
}
