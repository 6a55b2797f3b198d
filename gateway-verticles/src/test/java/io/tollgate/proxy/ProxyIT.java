package io.tollgate.proxy;

import static io.tollgate.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.http.RawHttpClient;
import io.tollgate.testkit.http.RawResponse;
import io.tollgate.testkit.peers.Behaviour;
import io.tollgate.testkit.peers.RawBehaviour;
import io.tollgate.testkit.peers.RawPeer;
import io.tollgate.testkit.peers.RecordedRequest;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proxy semantics against real upstream servers, through the documented example config
 * ({@code docs/examples/two-services.yaml}) plus routes for failure scenarios.
 */
@ExtendWith(BlockedThreadGuard.class)
class ProxyIT {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static Vertx vertx;
  private static UpstreamPeer service1;
  private static UpstreamPeer service2;
  private static RawPeer broken;
  private static RawPeer stalled;
  private static TestGateway gateway;

  @BeforeAll
  static void start() throws IOException {
    vertx = Vertx.vertx();
    service1 = UpstreamPeer.start(vertx);
    service2 = UpstreamPeer.start(vertx);
    broken = RawPeer.start(vertx, RawBehaviour.malformed());
    stalled = RawPeer.start(vertx, RawBehaviour.silence());
    String example = Files.readString(Path.of("../docs/examples/two-services.yaml"));
    // The example as published, plus a management port and failure-scenario routes appended.
    String yaml = example.replace("services:\n", """
        management:
          port: 0
        services:
          slow:
            targets: [ "${SERVICE1_URL}" ]
            timeouts: { response: 400ms }
          refused:
            targets: [ "http://127.0.0.1:${REFUSED_PORT}" ]
          broken:
            targets: [ "${BROKEN_URL}" ]
          stalled:
            targets: [ "${STALLED_URL}" ]
            timeouts: { response: 500ms }
        """) + """
          - id: slow
            path: /slow/**
            service: slow
          - id: refused
            path: /refused/**
            service: refused
          - id: broken
            path: /broken/**
            service: broken
          - id: stalled
            path: /stalled/**
            service: stalled
            maxBodySize: 64MiB
          - id: other-host-only
            path: /secret-host/**
            hosts: [ internal.example.com ]
            service: service1
          - id: writes-only
            path: /api/orders-write/**
            methods: [POST, PUT]
            service: service1
            auth: public
        """;
    gateway = TestGateway.start(yaml, Map.of(
        "GATEWAY_PORT", "0",
        "SERVICE1_URL", service1.baseUrl(),
        "SERVICE2_URL", service2.baseUrl(),
        "BROKEN_URL", broken.baseUrl(),
        "STALLED_URL", stalled.baseUrl(),
        "REFUSED_PORT", String.valueOf(io.tollgate.testkit.net.FreePorts.next())));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    vertx.close().await();
  }

  @BeforeEach
  void reset() {
    service1.reset();
    service2.reset();
    broken.respond(RawBehaviour.malformed());
    stalled.respond(RawBehaviour.silence());
  }

  @Test
  void routesEachServiceWithItsPrefixRewrittenAndPreservesMethodQueryHeadersAndBody() {
    service1.respond(Behaviour.status(201).header("X-Upstream", "one").body("created"));
    HttpResponse<String> response = gateway.send(gateway.request("/api/service1/orders?page=2&sort=-date")
        .header("X-Custom", "a").header("Accept", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"qty\":3}")).build());

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.body()).isEqualTo("created");
    assertThat(response.headers().firstValue("x-upstream")).contains("one");
    RecordedRequest got = service1.takeRequest(WAIT);
    assertThat(got.method()).isEqualTo("PATCH");
    assertThat(got.path()).isEqualTo("/api/orders");
    assertThat(got.query()).isEqualTo("page=2&sort=-date");
    assertThat(got.header("X-Custom")).isEqualTo("a");
    assertThat(got.header("Accept")).isEqualTo("application/json");
    assertThat(got.bodyAsString()).isEqualTo("{\"qty\":3}");

    HttpResponse<String> two = gateway.get("/api/service2/users/7");
    assertThat(two.statusCode()).isEqualTo(200);
    assertThat(service2.takeRequest(WAIT).path()).isEqualTo("/api/users/7");
  }

  @Test
  void upstreamErrorsReachTheClientUnchanged() {
    service1.respond(Behaviour.status(500).header("Content-Type", "text/plain").body("upstream broke"));
    HttpResponse<String> five = gateway.get("/api/service1/x");
    assertThat(five.statusCode()).isEqualTo(500);
    assertThat(five.body()).isEqualTo("upstream broke");
    assertThat(five.headers().firstValue("content-type")).contains("text/plain");

    service1.respond(Behaviour.status(404).body("no such order"));
    HttpResponse<String> four = gateway.get("/api/service1/orders/9");
    assertThat(four.statusCode()).isEqualTo(404);
    assertThat(four.body()).isEqualTo("no such order");
  }

  @Test
  void http2ClientsAreProxiedToHttp11Upstreams() throws Exception {
    var h2 = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_2).build();
    // The first request upgrades the connection (h2c, RFC 7540 §3.2); the second runs on HTTP/2 frames.
    h2.send(gateway.request("/api/service1/warmup").GET().build(), HttpResponse.BodyHandlers.ofString());
    h2.send(gateway.request("/api/service1/bodiless").GET().build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> response = h2.send(gateway.request("/api/service2/h2?x=1")
        .POST(HttpRequest.BodyPublishers.ofString("over h2")).build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.version()).isEqualTo(java.net.http.HttpClient.Version.HTTP_2);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("x-request-id")).isPresent();
    service1.takeRequest(WAIT);
    RecordedRequest bodiless = service1.takeRequest(WAIT);
    assertThat(bodiless.path()).isEqualTo("/api/bodiless");
    assertThat(bodiless.header("Transfer-Encoding")).as("a bodiless HTTP/2 GET stays bodiless").isNull();
    assertThat(bodiless.header("Content-Length")).isNull();
    RecordedRequest got = service2.takeRequest(WAIT);
    assertThat(got.path()).isEqualTo("/api/h2");
    assertThat(got.query()).isEqualTo("x=1");
    assertThat(got.bodyAsString()).isEqualTo("over h2");
    assertThat(got.version()).isEqualTo(io.vertx.core.http.HttpVersion.HTTP_1_1);
  }

  @Test
  void headRequestsGetTheUpstreamHeadWithoutABody() throws Exception {
    service1.respond(Behaviour.ok().header("Content-Type", "text/plain").body("twelve bytes"));
    HttpResponse<String> head = gateway.send(gateway.request("/api/service1/doc")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
    assertThat(service1.takeRequest(WAIT).method()).isEqualTo("HEAD");
    // The connection is still usable afterwards (no stray body bytes were left on it).
    assertThat(gateway.get("/api/service1/doc").body()).isEqualTo("twelve bytes");
  }

  @Test
  void hopByHopHeadersAreStrippedInBothDirectionsIncludingThoseNamedInConnection() throws IOException {
    service1.respond(Behaviour.ok().header("Connection", "X-Upstream-Secret")
        .header("X-Upstream-Secret", "s3cr3t").header("Keep-Alive", "timeout=5")
        .header("Proxy-Authenticate", "Basic").header("X-Kept", "yes").body("ok"));
    RawResponse response = RawHttpClient.exchange("127.0.0.1", gateway.port(), """
        GET /api/service1/hop HTTP/1.1\r
        Host: example.test\r
        Connection: keep-alive, X-Client-Secret\r
        X-Client-Secret: hidden\r
        Keep-Alive: timeout=5\r
        Proxy-Authorization: Basic Zm9vOmJhcg==\r
        TE: trailers\r
        X-Kept: yes\r
        \r
        """, WAIT);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("X-Upstream-Secret")).isNull();
    assertThat(response.header("Proxy-Authenticate")).isNull();
    assertThat(response.header("Keep-Alive")).isNull();
    assertThat(response.header("X-Kept")).isEqualTo("yes");
    RecordedRequest got = service1.takeRequest(WAIT);
    assertThat(got.header("X-Client-Secret")).isNull();
    assertThat(got.header("Proxy-Authorization")).isNull();
    assertThat(got.header("Keep-Alive")).isNull();
    assertThat(got.header("TE")).isNull();
    assertThat(got.header("X-Kept")).isEqualTo("yes");
  }

  @Test
  void forwardingHeadersAreSetAndClientSuppliedOnesReplaced() {
    gateway.send(gateway.request("/api/service1/fwd")
        .header("X-Forwarded-For", "6.6.6.6").header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Host", "evil.test").header("Forwarded", "for=6.6.6.6").GET().build());

    RecordedRequest got = service1.takeRequest(WAIT);
    assertThat(got.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
    assertThat(got.header("X-Forwarded-Proto")).isEqualTo("http");
    assertThat(got.header("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + gateway.port());
    assertThat(got.header("Forwarded")).isEqualTo("for=127.0.0.1;proto=http;host=\"127.0.0.1:" + gateway.port() + "\"");
    assertThat(got.headers().getAll("X-Forwarded-For")).hasSize(1);
    // The upstream sees its own address as Host, as nginx and Kong do by default.
    assertThat(got.header("Host")).isEqualTo("127.0.0.1:" + service1.port());
  }

  @Test
  void requestIdIsPropagatedOrGeneratedAndResponseTimeIsReported() {
    HttpResponse<String> given = gateway.send(gateway.request("/api/service1/id")
        .header("X-Request-Id", "client-id-42").GET().build());
    assertThat(given.headers().firstValue("x-request-id")).contains("client-id-42");
    assertThat(service1.takeRequest(WAIT).header("X-Request-Id")).isEqualTo("client-id-42");
    assertThat(given.headers().firstValue("x-gateway-response-time").orElseThrow()).matches("\\d+\\.\\d{3}");

    HttpResponse<String> hostile = gateway.send(gateway.request("/api/service1/id")
        .header("X-Request-Id", "bad id\" with spaces").GET().build());
    String generated = hostile.headers().firstValue("x-request-id").orElseThrow();
    assertThat(generated).matches("[0-9a-f]{32}");
    assertThat(service1.takeRequest(WAIT).header("X-Request-Id")).isEqualTo(generated);
  }

  @Test
  void unknownRouteIs404AndWrongMethodIs405WithAllow() {
    assertProblem(gateway.get("/api/nothing-here"), 404, "route-not-found");
    HttpResponse<String> wrong = gateway.get("/api/orders-write/1");
    assertProblem(wrong, 405, "method-not-allowed");
    assertThat(wrong.headers().firstValue("allow")).contains("POST, PUT");
    assertThat(service1.requestCount() + service2.requestCount()).isZero();
  }

  @Test
  void connectionRefusedIs503() {
    assertProblem(gateway.get("/refused/x"), 503, "upstream-unavailable");
  }

  @Test
  void malformedOrMissingUpstreamResponseIs502() {
    assertProblem(gateway.get("/broken/garbage"), 502, "bad-gateway");
    broken.respond(RawBehaviour.closeWithoutResponse());
    assertProblem(gateway.get("/broken/closed"), 502, "bad-gateway");
  }

  @Test
  void slowUpstreamIs504AfterTheRouteResponseTimeout() {
    service1.respond(Behaviour.ok().delayHeaders(Duration.ofSeconds(3)));
    long start = System.nanoTime();
    HttpResponse<String> response = gateway.get("/slow/x");
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertProblem(response, 504, "gateway-timeout");
    assertThat(tookMs).isBetween(350L, 2_500L);
  }

  @Test
  void responseTimeoutNeverCutsAResponseThatAlreadyStarted() {
    // The upstream answers before reading the body, then takes longer than the 400 ms response timeout to
    // send its body: the timeout covers waiting for the head only.
    service1.respond(Behaviour.ok().respondBeforeBody().delayBody(Duration.ofMillis(900)).body("late but whole"));
    HttpResponse<String> response = gateway.send(gateway.request("/slow/upload")
        .POST(HttpRequest.BodyPublishers.ofString("x".repeat(50_000))).build());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("late but whole");
  }

  @Test
  void anUpstreamThatStopsReadingAnUploadGets504InsteadOfHangingForever() {
    // The upstream accepts the connection and never reads: the body stops moving, and after the 500 ms
    // response timeout without progress the client gets 504 (it used to wait for the whole body first).
    long start = System.nanoTime();
    HttpResponse<String> response = gateway.send(gateway.request("/stalled/upload")
        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[32 << 20])).build());
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertProblem(response, 504, "gateway-timeout");
    assertThat(tookMs).isLessThan(8_000);
  }

  @Test
  void http10KeepAliveClientsGetUnsizedResponsesEndedByClose() throws IOException {
    service1.respond(Behaviour.ok().chunked().body("hello over 1.0"));
    try (var socket = new java.net.Socket("127.0.0.1", gateway.port())) {
      socket.setSoTimeout(5_000); // a read that waits this long means the body never ended
      socket.getOutputStream().write(
          "GET /api/service1/old HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n".getBytes());
      String all = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
      assertThat(all).startsWith("HTTP/1.0 200").endsWith("hello over 1.0");
    }
  }

  @Test
  void controlCharactersInTheQueryAreRefused() throws IOException {
    RawResponse response = RawHttpClient.exchange("127.0.0.1", gateway.port(),
        "GET /api/service1/q?x=\u0001y HTTP/1.1\r\nHost: x\r\n\r\n", WAIT);
    assertThat(response.status()).isEqualTo(400);
    assertThat(service1.requestCount()).isZero();
  }

  @Test
  void upstreamDyingMidBodyAbortsTheClientResponseInsteadOfTruncatingIt() {
    service1.respond(Behaviour.ok().streamBytes(1_000_000).closeMidBody(10_000));
    assertThatThrownBy(() -> gateway.http().send(gateway.request("/api/service1/big").GET().build(),
        HttpResponse.BodyHandlers.ofByteArray()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void livenessStaysUpWhenUpstreamsAreDownAndServicesListingHidesInternalUrls() {
    HttpResponse<String> health = gateway.get("/healthz");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"");
    assertThat(gateway.get("/health").statusCode()).isEqualTo(200);
    assertThat(gateway.get("/readyz").body()).contains("READY");

    HttpResponse<String> status = gateway.get("/api/gateway/status");
    assertThat(status.body()).contains("\"configVersion\":1").contains("\"instanceId\"");

    HttpResponse<String> services = gateway.get("/api/gateway/services");
    assertThat(services.body()).contains("\"service1\"").contains("/api/service1/**")
        .doesNotContain("127.0.0.1").doesNotContain(String.valueOf(service1.port()))
        .as("routes of other hosts stay hidden").doesNotContain("secret-host");
  }

  @Test
  void managementListenerShowsUpstreamDetailOnLoopbackOnly() throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    HttpResponse<String> status = http.send(HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + gateway.managementPort() + "/status")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(status.body()).contains(service1.baseUrl());
  }
}
