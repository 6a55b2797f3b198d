package io.tollgate.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.tollgate.testing.ProblemAssert;
import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.net.FreePorts;
import io.tollgate.testkit.peers.Behaviour;
import io.tollgate.testkit.peers.RecordedRequest;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Traces leave the gateway through the real OTLP/HTTP exporter into a real receiver (a Vert.x server decoding
 * {@code ExportTraceServiceRequest}), and the upstream sees the same trace in its {@code traceparent}.
 */
@ExtendWith(BlockedThreadGuard.class)
class TracingIT {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String ROUTE = "/orders/{id:int}";

  private static Vertx vertx;
  private static UpstreamPeer upstream;
  private static UpstreamPeer shedding;
  private static OtlpReceiver receiver;
  private static TestGateway gateway;
  private static AccessLines lines;

  @BeforeAll
  static void start() {
    lines = AccessLines.capture();
    vertx = Vertx.vertx();
    upstream = UpstreamPeer.start(vertx);
    shedding = UpstreamPeer.start(vertx).respond(Behaviour.status(503));
    receiver = OtlpReceiver.start(vertx, WAIT);
    gateway = TestGateway.start(yaml(receiver.endpoint()),
        Map.of("ORDERS_URL", upstream.baseUrl(), "SHEDDING_URL", shedding.baseUrl()));
  }

  private static String yaml(String otlpEndpoint) {
    return yaml(otlpEndpoint, 2048, "http");
  }

  private static String yaml(String otlpEndpoint, int maxQueueSize, String protocol) {
    return """
        listener: { port: 0 }
        management: { port: 0 }
        tracing:
          enabled: true
          sampleRatio: 1.0
          exportDelay: 100ms
          maxQueueSize: %d
          otlp: { endpoint: "%s", protocol: %s }
        services:
          orders:
            targets: [ "${ORDERS_URL}" ]
          retried:
            loadBalancer: round-robin
            retry: { attempts: 2, on: [ 503 ] }
            targets: [ "${SHEDDING_URL:http://127.0.0.1:9}", "${ORDERS_URL}" ]
        routes:
          - { id: retried, path: /retried, service: retried }
          - id: orders-route
            path: /orders/{id:int}
            service: orders
          - { id: limited, path: /limited, service: orders, rateLimit: [ { name: l, rate: 1/min } ] }
        """.formatted(maxQueueSize, otlpEndpoint, protocol);
  }

  @AfterAll
  static void stop() {
    lines.close();
    gateway.close();
    shedding.close();
    vertx.close().await();
  }

  @BeforeEach
  void reset() {
    upstream.reset();
    upstream.respond(Behaviour.ok().body("ok"));
  }

  @Test
  void serverAndClientSpansOfOneRequestShareTheTraceTheUpstreamSees() {
    HttpResponse<String> response = gateway.get("/orders/42");
    assertThat(response.statusCode()).isEqualTo(200);
    RecordedRequest forwarded = upstream.takeRequest(WAIT);
    String[] traceparent = forwarded.header("traceparent").split("-");
    assertThat(traceparent).hasSize(4);
    assertThat(forwarded.headers().getAll("traceparent")).hasSize(1);
    String traceId = traceparent[1];

    Span server = awaitSpan(traceId, Span.SpanKind.SPAN_KIND_SERVER);
    Span client = awaitSpan(traceId, Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(hex(client.getParentSpanId())).isEqualTo(hex(server.getSpanId()));
    // The upstream's parent is the gateway's client span: one request, one causal chain.
    assertThat(traceparent[2]).isEqualTo(hex(client.getSpanId()));
    assertThat(attribute(server, "http.route")).contains(ROUTE);
    assertThat(server.getName()).isEqualTo("GET " + ROUTE);
    assertThat(lineFor(response).getString("traceId")).isEqualTo(traceId);
  }

  @Test
  void eachAttemptOfARetriedRequestIsAClientSpan() {
    HttpResponse<String> response = gateway.get("/retried");
    assertThat(response.statusCode()).as("503 from the first target, retried on the second").isEqualTo(200);
    String[] traceparent = upstream.takeRequest(WAIT).header("traceparent").split("-");
    String traceId = traceparent[1];
    String first = shedding.takeRequest(WAIT).header("traceparent").split("-")[2];

    Span server = awaitSpan(traceId, Span.SpanKind.SPAN_KIND_SERVER);
    Await.until(() -> clientSpans(traceId).size() == 2, WAIT, () -> "client spans: " + clientSpans(traceId));
    assertThat(clientSpans(traceId)).allSatisfy(client ->
        assertThat(hex(client.getParentSpanId())).isEqualTo(hex(server.getSpanId())));
    assertThat(clientSpans(traceId)).extracting(client -> hex(client.getSpanId()))
        .as("each upstream saw its own attempt's span").containsExactlyInAnyOrder(first, traceparent[2]);
    Span shed = clientSpans(traceId).stream().filter(c -> hex(c.getSpanId()).equals(first)).findFirst().orElseThrow();
    Span served = clientSpans(traceId).stream().filter(c -> !hex(c.getSpanId()).equals(first)).findFirst()
        .orElseThrow();
    assertThat(longAttribute(shed, "http.response.status_code")).contains(503L);
    assertThat(shed.getStatus().getCode()).isEqualTo(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(longAttribute(shed, "http.request.resend_count")).isEmpty();
    assertThat(longAttribute(served, "http.response.status_code")).contains(200L);
    assertThat(longAttribute(served, "http.request.resend_count")).as("the retry says it is one").contains(1L);
    assertThat(longAttribute(server, "http.response.status_code")).contains(200L);
  }

  @Test
  void anUnsampledNewTraceGoesUpstreamAsAFreshUnsampledTraceparentAndRecordsNothing() {
    try (TestGateway never = TestGateway.start(yaml(receiver.endpoint()).replace("sampleRatio: 1.0",
        "sampleRatio: 0.0"), Map.of("ORDERS_URL", upstream.baseUrl()))) {
      HttpResponse<String> response = never.send(never.request("/orders/13")
          .header("traceparent", "00-00000000000000000000000000000000-b7ad6b7169203331-01") // invalid: zero trace id
          .header("tracestate", "vendor=stale").GET().build());
      assertThat(response.statusCode()).isEqualTo(200);
      RecordedRequest forwarded = upstream.takeRequest(WAIT);
      assertThat(forwarded.headers().getAll("traceparent")).hasSize(1);
      assertThat(forwarded.header("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00")
          .doesNotContain("00000000000000000000000000000000");
      assertThat(forwarded.headers().getAll("tracestate")).as("belongs to the replaced traceparent").isEmpty();
      String traceId = forwarded.header("traceparent").split("-")[1];
      assertThat(lineFor(response).getValue("traceId")).isNull();

      assertThat(never.get("/orders/14").statusCode()).isEqualTo(200);
      assertThat(upstream.takeRequest(WAIT).header("traceparent").split("-")[1]).as("each request its own trace")
          .isNotEqualTo(traceId);
      // A sampled request of the main gateway is exported after; nothing of the unsampled trace ever is.
      HttpResponse<String> sampled = gateway.get("/orders/15");
      awaitSpan(lineFor(sampled).getString("traceId"), Span.SpanKind.SPAN_KIND_CLIENT);
      assertThat(receiver.spans()).noneMatch(span -> hex(span.getTraceId()).equals(traceId));
    }
  }

  /** Zipkin's own protocol (JSON v2 over HTTP): what the demo uses with a local Zipkin server (INFRA.md). */
  @Test
  void spansAreExportedToZipkin() {
    java.util.List<JsonObject> received = new java.util.concurrent.CopyOnWriteArrayList<>();
    // Like a Zipkin server, it takes gzip-compressed bodies (the exporter compresses by default).
    HttpServer zipkin = Await.result(vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions()
        .setDecompressionSupported(true)).requestHandler(req -> req.body().onSuccess(body -> {
      if (req.path().equals("/api/v2/spans")) {
        body.toJsonArray().forEach(span -> received.add((JsonObject) span));
        req.response().setStatusCode(202).end();
      } else {
        req.response().setStatusCode(404).end();
      }
    })).listen(0, "127.0.0.1"), WAIT);
    String config = yaml(receiver.endpoint()).replace("tracing:\n", "tracing:\n  exporter: zipkin\n"
        + "  zipkin: { endpoint: \"http://127.0.0.1:" + zipkin.actualPort() + "/api/v2/spans\" }\n");
    try (TestGateway zipkinGateway = TestGateway.start(config, Map.of("ORDERS_URL", upstream.baseUrl()))) {
      assertThat(zipkinGateway.get("/orders/16").statusCode()).isEqualTo(200);
      String[] traceparent = upstream.takeRequest(WAIT).header("traceparent").split("-");
      Await.until(() -> received.stream().filter(span -> traceparent[1].equals(span.getString("traceId"))).count() >= 2,
          WAIT, () -> "zipkin got " + received);
      JsonObject server = received.stream().filter(span -> "SERVER".equals(span.getString("kind"))).findFirst()
          .orElseThrow();
      JsonObject client = received.stream().filter(span -> "CLIENT".equals(span.getString("kind"))).findFirst()
          .orElseThrow();
      assertThat(server.getString("name")).isEqualToIgnoringCase("GET " + ROUTE);
      assertThat(server.getJsonObject("localEndpoint").getString("serviceName")).isEqualTo("tollgate");
      assertThat(client.getString("parentId")).isEqualTo(server.getString("id"));
      assertThat(client.getString("id")).isEqualTo(traceparent[2]);
    } finally {
      zipkin.close().await();
    }
  }

  @Test
  void aSampledClientTraceparentIsContinued() {
    String clientTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    String clientSpan = "00f067aa0ba902b7";
    HttpResponse<String> response = gateway.send(gateway.request("/orders/7")
        .header("traceparent", "00-" + clientTrace + "-" + clientSpan + "-01")
        .header("tracestate", "vendor=abc").GET().build());
    assertThat(response.statusCode()).isEqualTo(200);
    RecordedRequest request = upstream.takeRequest(WAIT);
    assertThat(request.headers().getAll("traceparent")).hasSize(1);
    assertThat(request.headers().getAll("tracestate")).containsExactly("vendor=abc");
    String[] forwarded = request.header("traceparent").split("-");
    assertThat(forwarded[1]).isEqualTo(clientTrace);
    assertThat(forwarded[2]).isNotEqualTo(clientSpan);

    Span server = awaitSpan(clientTrace, Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(hex(server.getParentSpanId())).isEqualTo(clientSpan);
    assertThat(hex(awaitSpan(clientTrace, Span.SpanKind.SPAN_KIND_CLIENT).getSpanId())).isEqualTo(forwarded[2]);
  }

  @Test
  void anUnsampledClientTraceIsPropagatedButNeitherRecordedNorLogged() {
    String clientTrace = "0af7651916cd43dd8448eb211c80319c";
    HttpResponse<String> response = gateway.send(gateway.request("/orders/8")
        .header("traceparent", "00-" + clientTrace + "-b7ad6b7169203331-00").GET().build());
    assertThat(response.statusCode()).isEqualTo(200);
    String[] forwarded = upstream.takeRequest(WAIT).header("traceparent").split("-");
    assertThat(forwarded[1]).isEqualTo(clientTrace);
    assertThat(forwarded[3]).isEqualTo("00");
    assertThat(lineFor(response).getValue("traceId")).isNull();

    // Parent-based sampling follows the caller even at sampleRatio 1.0: a later sampled trace is exported, this is not.
    HttpResponse<String> sampled = gateway.get("/orders/10");
    awaitSpan(lineFor(sampled).getString("traceId"), Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(receiver.spans()).noneMatch(span -> hex(span.getTraceId()).equals(clientTrace));
  }

  @Test
  void problemBodyAndAccessLogCarryTheTraceIdAndTheSpanRecordsTheRejection() {
    HttpResponse<String> response = gateway.get("/nowhere");
    JsonObject problem = ProblemAssert.assertProblem(response, 404, "route-not-found");
    String traceId = problem.getString("traceId");
    assertThat(traceId).matches("[0-9a-f]{32}");
    assertThat(lineFor(response).getString("traceId")).isEqualTo(traceId);

    assertRejectionEvent(awaitSpan(traceId, Span.SpanKind.SPAN_KIND_SERVER), "route-not-found");
  }

  @Test
  void aPolicyRejectionIsAnEventOnTheRoutedServerSpan() {
    assertThat(gateway.get("/limited").statusCode()).isEqualTo(200);
    HttpResponse<String> denied = gateway.get("/limited");
    String traceId = ProblemAssert.assertProblem(denied, 429, "rate-limited").getString("traceId");

    Span server = awaitSpan(traceId, Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(server.getName()).isEqualTo("GET /limited");
    assertRejectionEvent(server, "rate-limited");
    assertThat(find(traceId, Span.SpanKind.SPAN_KIND_CLIENT)).isEmpty();
  }

  @Test
  void spansAreExportedOverGrpcToo() {
    int grpcExportsBefore = receiver.grpcExports();
    try (TestGateway grpc = TestGateway.start(yaml(receiver.endpoint(), 2048, "grpc"),
        Map.of("ORDERS_URL", upstream.baseUrl()))) {
      assertThat(grpc.get("/orders/11").statusCode()).isEqualTo(200);
      String traceId = upstream.takeRequest(WAIT).header("traceparent").split("-")[1];
      assertThat(awaitSpan(traceId, Span.SpanKind.SPAN_KIND_SERVER).getName()).isEqualTo("GET " + ROUTE);
      awaitSpan(traceId, Span.SpanKind.SPAN_KIND_CLIENT);
      assertThat(receiver.grpcExports()).isGreaterThan(grpcExportsBefore);
    }
  }

  /** Without a collector (the demo): every span of a request is one JSON line on {@code tollgate.traces}. */
  @Test
  void theLogExporterWritesEachSpanAsAJsonLine() throws Exception {
    ch.qos.logback.classic.Logger traces =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("tollgate.traces");
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
        new ch.qos.logback.core.read.ListAppender<>();
    captured.start();
    traces.addAppender(captured);
    try (TestGateway logging = TestGateway.start(yaml(receiver.endpoint()).replace("tracing:\n",
        "tracing:\n  exporter: log\n"), Map.of("ORDERS_URL", upstream.baseUrl()))) {
      assertThat(logging.get("/orders/12").statusCode()).isEqualTo(200);
      String traceId = upstream.takeRequest(WAIT).header("traceparent").split("-")[1];
      io.tollgate.testkit.vertx.Await.until(() -> captured.list.stream()
          .filter(e -> e.getFormattedMessage().contains(traceId)).count() >= 2, WAIT, () -> "no span lines");
      java.util.List<io.vertx.core.json.JsonObject> spans = captured.list.stream()
          .map(e -> new io.vertx.core.json.JsonObject(e.getFormattedMessage()))
          .filter(line -> traceId.equals(line.getString("traceId"))).toList();
      io.vertx.core.json.JsonObject server = spans.stream().filter(l -> "SERVER".equals(l.getString("kind")))
          .findFirst().orElseThrow();
      io.vertx.core.json.JsonObject client = spans.stream().filter(l -> "CLIENT".equals(l.getString("kind")))
          .findFirst().orElseThrow();
      assertThat(server.getString("name")).isEqualTo("GET " + ROUTE);
      assertThat(server.getJsonObject("attributes").getString("http.route")).isEqualTo(ROUTE);
      assertThat(client.getString("parentSpanId")).isEqualTo(server.getString("spanId"));
    } finally {
      traces.detachAppender(captured);
    }
  }

  @Test
  void managementRequestsMakeNoSpans() {
    assertThat(gateway.managementStatus().isEmpty()).isFalse();
    HttpResponse<String> after = gateway.get("/orders/9");
    String traceId = upstream.takeRequest(WAIT).header("traceparent").split("-")[1];
    assertThat(after.statusCode()).isEqualTo(200);
    // Spans are exported in the order they end: the /status span would be in this batch or an earlier one.
    awaitSpan(traceId, Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(receiver.spans()).noneMatch(span -> span.toString().contains("/status"));
  }

  @Test
  void requestsAreUnaffectedWhenTheCollectorIsDown() throws InterruptedException {
    int closedPort = FreePorts.next();
    try (TestGateway down = TestGateway.start(yaml("http://127.0.0.1:" + closedPort),
        Map.of("ORDERS_URL", upstream.baseUrl()))) {
      for (int i = 0; i < 20; i++) {
        long start = System.nanoTime();
        HttpResponse<String> response = down.get("/orders/" + i);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        // Spaced out so export attempts (every 100 ms) overlap the requests.
        Thread.sleep(50);
      }
      assertThat(upstream.takeRequest(WAIT).header("traceparent")).isNotNull();
    }
  }

  @Test
  void aHangingCollectorFillsTheQueueAndSpansAreDroppedAndCountedNotWaitedFor() throws InterruptedException {
    // Accepts exports and never answers: each export holds the exporter for its whole timeout.
    HttpServer hanging = Await.result(vertx.createHttpServer().requestHandler(req -> { })
        .listen(0, "127.0.0.1"), WAIT);
    try (TestGateway slow = TestGateway.start(yaml("http://127.0.0.1:" + hanging.actualPort(), 4, "http"),
        Map.of("ORDERS_URL", upstream.baseUrl()))) {
      for (int i = 0; i < 20; i++) {
        long start = System.nanoTime();
        assertThat(slow.get("/orders/" + i).statusCode()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        Thread.sleep(20);
      }
      Await.until(() -> dropped(slow) > 0, WAIT, () -> "no dropped spans counted");
      // 20 requests made 40 spans; at most one batch (≤ queue size) is stuck in the exporter and 4 wait in the queue.
      assertThat(dropped(slow)).isGreaterThanOrEqualTo(40 - 2 * 4);
    } finally {
      hanging.close().await();
    }
  }

  private static double dropped(TestGateway target) {
    HttpResponse<String> metrics = target.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + target.managementPort() + "/metrics")).timeout(WAIT).build());
    return PrometheusText.parse(metrics.body()).samples().stream()
        .filter(sample -> sample.name().equals("tollgate_tracing_spans_dropped_total"))
        .mapToDouble(PrometheusText.Sample::value).sum();
  }

  private static void assertRejectionEvent(Span server, String slug) {
    assertThat(server.getEventsList()).anySatisfy(event -> {
      assertThat(event.getName()).isEqualTo("tollgate.rejected");
      assertThat(event.getAttributesList()).anySatisfy(kv -> {
        assertThat(kv.getKey()).isEqualTo("tollgate.problem");
        assertThat(kv.getValue().getStringValue()).isEqualTo(slug);
      });
    });
  }

  private static Span awaitSpan(String traceId, Span.SpanKind kind) {
    Await.until(() -> find(traceId, kind).isPresent(), WAIT,
        () -> "no " + kind + " span of trace " + traceId + " among " + receiver.spans().size() + " exported spans");
    return find(traceId, kind).orElseThrow();
  }

  private static Optional<Span> find(String traceId, Span.SpanKind kind) {
    return receiver.spans().stream().filter(s -> s.getKind() == kind && hex(s.getTraceId()).equals(traceId)).findFirst();
  }

  private static java.util.List<Span> clientSpans(String traceId) {
    return receiver.spans().stream()
        .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_CLIENT && hex(s.getTraceId()).equals(traceId)).toList();
  }

  private static Optional<String> attribute(Span span, String key) {
    return span.getAttributesList().stream().filter(kv -> kv.getKey().equals(key))
        .map(KeyValue::getValue).map(v -> v.getStringValue()).findFirst();
  }

  private static Optional<Long> longAttribute(Span span, String key) {
    return span.getAttributesList().stream().filter(kv -> kv.getKey().equals(key))
        .map(KeyValue::getValue).map(v -> v.getIntValue()).findFirst();
  }

  private static String hex(com.google.protobuf.ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }

  private static JsonObject lineFor(HttpResponse<String> response) {
    return lines.lineFor(response.headers().firstValue("x-request-id").orElseThrow());
  }
}
