package io.tollgate.observability;

import static io.tollgate.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.auth.apikey.ApiKeyHasher;
import io.tollgate.observability.PrometheusText.Sample;
import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.http.RawHttpClient;
import io.tollgate.testkit.http.RawResponse;
import io.tollgate.testkit.peers.Behaviour;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.redis.TestKeyspace;
import io.tollgate.testkit.redis.TestRedis;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /metrics} on the management listener, scraped over HTTP and parsed as Prometheus does: after known
 * traffic (proxied, unknown routes, 401, 429, 413) every counter has the exact value under the right labels, the
 * latency histograms add up, in-flight gauges go up and back to 0, node state is exposed, and 10,000 distinct paths
 * add no series. A fresh gateway per test, so values are absolute.
 */
@ExtendWith(BlockedThreadGuard.class)
class MetricsIT {

  private static final String ALICE_KEY = ApiKeyHasher.generate();
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static Vertx vertx;
  private static UpstreamPeer upstream;
  private TestGateway gateway;

  @BeforeAll
  static void startUpstream() {
    vertx = Vertx.vertx();
    upstream = UpstreamPeer.start(vertx);
    upstream.respondTo("/slow", Behaviour.ok().delayHeaders(Duration.ofMillis(1500)));
    upstream.respondTo("/capped", Behaviour.ok().delayHeaders(Duration.ofMillis(1500)));
    upstream.respondTo("/pooled", Behaviour.ok().delayHeaders(Duration.ofMillis(1000)));
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
    vertx.close();
  }

  @BeforeEach
  void startGateway() {
    gateway = TestGateway.start("""
        listener: { port: 0 }
        management: { port: 0 }
        auth:
          apiKeys:
            keys:
              - { consumer: alice, hash: "${ALICE_HASH}" }
        services:
          app:
            targets: [ "${APP_URL}" ]
          pooled:
            targets: [ "${APP_URL}" ]
            maxConnectionsPerTarget: 1
            timeouts: { connect: 10s }       # the wait for a pooled connection counts against it
        routes:
          - { id: open, path: /open, service: app, auth: public }
          - { id: secured, path: /secured, service: app, auth: { accept: [api-key] } }
          - { id: limited, path: /limited, service: app, auth: public, rateLimit: [ { name: l, rate: 1/min } ] }
          - { id: upload, path: /upload, service: app, auth: public, maxBodySize: 1KiB }
          - { id: slow, path: /slow, service: app, auth: public }
          - { id: capped, path: /capped, service: app, auth: public, concurrency: { max: 1, queue: 1, maxWait: 5s } }
          - { id: files, path: /files/**, service: app, auth: public }
          - { id: pooled, path: /pooled, service: pooled, auth: public }
        """, Map.of("APP_URL", upstream.baseUrl(), "ALICE_HASH", ApiKeyHasher.sha256().hash(ALICE_KEY)));
  }

  @AfterEach
  void stopGateway() {
    gateway.close();
  }

  @Test
  void knownTrafficIsCountedUnderTheRightLabels() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(gateway.get("/open").statusCode()).isEqualTo(200);
    }
    assertProblem(gateway.get("/nowhere"), 404, "route-not-found");
    assertProblem(gateway.get("/nowhere/else"), 404, "route-not-found");
    assertProblem(gateway.get("/secured"), 401, "unauthorized");
    assertThat(gateway.send(gateway.request("/secured").header("X-API-Key", ALICE_KEY).GET().build())
        .statusCode()).isEqualTo(200);
    assertThat(gateway.get("/limited").statusCode()).isEqualTo(200);
    assertProblem(gateway.get("/limited"), 429, "rate-limited");
    assertThat(upload(2048).status()).isEqualTo(413);

    PrometheusText m = awaitScrape(s -> s.valueOrZero("tollgate_requests_total", "route", "upload") == 1
        && s.valueOrZero("tollgate_requests_total", "route", "limited", "status_class", "4xx") == 1);

    assertThat(requests(m)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "open GET 2xx", 3.0,
        "none GET 4xx", 2.0,
        "secured GET 4xx", 1.0,
        "secured GET 2xx", 1.0,
        "limited GET 2xx", 1.0,
        "limited GET 4xx", 1.0,
        "upload POST 4xx", 1.0));
    assertThat(rejections(m)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "auth", 1.0, "ownership", 0.0, "rate_limit", 1.0, "size", 1.0, "concurrency", 0.0, "routing", 2.0,
        "invalid", 0.0, "upstream", 0.0, "other", 0.0));
    assertThat(m.value("tollgate_auth_rejections_total", "reason", "missing-credentials")).isEqualTo(1);
    assertThat(m.value("tollgate_ratelimit_decisions_total", "outcome", "denied")).isEqualTo(1);
    assertThat(m.value("tollgate_ratelimit_decisions_total", "outcome", "fail_open")).isZero();
    // Only the requests that reached the upstream: 3 open, 1 secured, 1 limited.
    assertThat(m.value("tollgate_upstream_response_seconds_count", "service", "app")).isEqualTo(5);
    assertHistogramsAddUp(m, "tollgate_request_duration_seconds", "route");
    assertHistogramsAddUp(m, "tollgate_upstream_response_seconds", "service");
    assertThat(m.value("tollgate_request_duration_seconds_count", "route", "open")).isEqualTo(3);
    assertThat(m.value("tollgate_request_duration_seconds_count", "route", "none")).isEqualTo(2);
    for (String route : List.of("open", "secured", "limited", "upload")) {
      assertThat(m.value("tollgate_requests_in_flight", "route", route)).as(route).isZero();
    }
    assertThat(m.matching("tollgate_requests_in_flight", "route", "none")).as("nothing in flight to unmatched")
        .isEmpty();
  }

  @Test
  void inFlightCountsARequestUntilItFinishes() {
    CompletableFuture<HttpResponse<String>> slow = gateway.http()
        .sendAsync(gateway.request("/slow").build(), HttpResponse.BodyHandlers.ofString());

    awaitScrape(s -> s.valueOrZero("tollgate_requests_in_flight", "route", "slow") == 1);
    assertThat(slow.join().statusCode()).isEqualTo(200);
    PrometheusText after = awaitScrape(s -> s.valueOrZero("tollgate_requests_total", "route", "slow") == 1);
    assertThat(after.value("tollgate_requests_in_flight", "route", "slow")).isZero();
    assertThat(after.value("tollgate_request_duration_seconds_bucket", "route", "slow", "le", "1.0"))
        .as("1.5 s upstream delay is above the 1 s bucket").isZero();
    assertThat(after.value("tollgate_request_duration_seconds_bucket", "route", "slow", "le", "2.5")).isEqualTo(1);
  }

  /**
   * One connection per target and ingress instance: of five concurrent requests at least one waits for a
   * connection, and the wait is measured.
   */
  @Test
  void upstreamPoolUsageWaitsAndConnectionTimesAreExposed() {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      calls.add(gateway.http().sendAsync(gateway.request("/pooled").build(), HttpResponse.BodyHandlers.ofString()));
    }
    // Two ingress instances, one connection each: at most two requests are at the upstream at a time.
    awaitScrape(s -> s.valueOrZero("tollgate_upstream_in_flight", "service", "pooled") == 5
        && s.valueOrZero("tollgate_upstream_pool_waiting", "service", "pooled") == 3);
    assertThat(calls.stream().map(CompletableFuture::join).map(HttpResponse::statusCode)).containsOnly(200);

    PrometheusText m = awaitScrape(s -> s.valueOrZero("tollgate_upstream_connect_seconds_count", "service", "pooled")
        == 5);
    assertThat(m.value("tollgate_upstream_in_flight", "service", "pooled")).isZero();
    assertThat(m.value("tollgate_upstream_pool_waiting", "service", "pooled")).isZero();
    assertThat(m.value("tollgate_upstream_connect_seconds_bucket", "service", "pooled", "le", "0.5"))
        .as("two got a connection at once; three waited for one (about 1 s or more)").isEqualTo(2);
  }

  @Test
  void bulkheadsShowSlotsInUseAndQueued() {
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      calls.add(gateway.http().sendAsync(gateway.request("/capped").build(), HttpResponse.BodyHandlers.ofString()));
    }
    awaitScrape(s -> s.valueOrZero("tollgate_concurrency_in_flight", "route", "capped") == 1
        && s.valueOrZero("tollgate_concurrency_queued", "route", "capped") == 1);
    assertProblem(gateway.get("/capped"), 503, "concurrency-limited");
    assertThat(calls.stream().map(CompletableFuture::join).map(HttpResponse::statusCode)).containsExactly(200, 200);

    PrometheusText m = awaitScrape(s -> s.valueOrZero("tollgate_concurrency_in_flight", "route", "capped") == 0
        && s.valueOrZero("tollgate_rejections_total", "reason", "concurrency") == 1);
    assertThat(m.value("tollgate_concurrency_queued", "route", "capped")).isZero();
    assertThat(m.value("tollgate_requests_total", "route", "capped", "status_class", "5xx")).isEqualTo(1);
    assertThat(m.value("tollgate_requests_total", "route", "capped", "status_class", "2xx")).isEqualTo(2);
  }

  @Test
  void nodeStateJvmAndVertxMetricsAreExposed() {
    assertThat(gateway.get("/open").statusCode()).isEqualTo(200);
    awaitScrape(s -> s.valueOrZero("tollgate_requests_total", "route", "open") == 1);
    awaitScrape(s -> s.valueOrZero("tollgate_event_loop_delay_seconds_count") >= 2); // one probe per loop per 100 ms
    HttpResponse<String> response = scrapeResponse();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
    PrometheusText m = PrometheusText.parse(response.body());

    assertThat(m.value("tollgate_config_version")).isEqualTo(1);
    assertThat(m.value("tollgate_ratelimit_backend_state", "state", "standalone")).isEqualTo(1);
    assertThat(m.value("tollgate_ratelimit_backend_state", "state", "redis")).isZero();
    assertThat(m.value("tollgate_ratelimit_backend_state", "state", "degraded")).isZero();
    assertThat(m.value("tollgate_ratelimit_redis_down_total")).isZero();
    assertThat(m.named("tollgate_ownership_replica_records")).as("no ownership source configured").isEmpty();
    assertThat(names(m)).contains("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
        "process_cpu_usage", "system_cpu_count", "vertx_pool_in_use", "vertx_eventbus_handlers",
        "tollgate_event_loop_delay_seconds_count", "tollgate_event_loop_delay_seconds_bucket");
    assertThat(names(m)).as("Vert.x's per-request HTTP meters are off (cost; tollgate_requests_* cover them)")
        .noneMatch(name -> name.startsWith("vertx_http_server") || name.startsWith("vertx_http_client"));
  }

  @Test
  void redisDecisionsAreTimedAndTheBackendIsRedis() {
    TestKeyspace keys = TestRedis.forClass("MetricsIT");
    try (TestGateway shared = TestGateway.start("""
        listener: { port: 0 }
        management: { port: 0 }
        rateLimiting:
          redis: { url: "${REDIS_URL}", keyPrefix: "${PREFIX}", budget: 500ms }
        services:
          app:
            targets: [ "${APP_URL}" ]
          pooled:
            targets: [ "${APP_URL}" ]
            maxConnectionsPerTarget: 1
            timeouts: { connect: 10s }       # the wait for a pooled connection counts against it
        routes:
          - { id: limited, path: /limited, service: app, auth: public, rateLimit: [ { name: l, rate: 2/min } ] }
        """, Map.of("REDIS_URL", keys.redis().connectionString(), "PREFIX", keys.prefix(),
        "APP_URL", upstream.baseUrl()))) {
      assertThat(List.of(shared.get("/limited").statusCode(), shared.get("/limited").statusCode(),
          shared.get("/limited").statusCode())).containsExactly(200, 200, 429);

      PrometheusText m = awaitScrape(shared,
          s -> s.valueOrZero("tollgate_requests_total", "route", "limited", "status_class", "4xx") == 1);
      assertThat(m.value("tollgate_ratelimit_redis_seconds_count")).as("one Lua call per request").isEqualTo(3);
      assertThat(m.value("tollgate_ratelimit_redis_seconds_bucket", "le", "+Inf")).isEqualTo(3);
      assertThat(m.value("tollgate_ratelimit_backend_state", "state", "redis")).isEqualTo(1);
      assertThat(m.value("tollgate_ratelimit_backend_state", "state", "standalone")).isZero();
      assertThat(m.value("tollgate_ratelimit_decisions_total", "outcome", "denied")).isEqualTo(1);
      assertThat(m.value("tollgate_rejections_total", "reason", "rate_limit")).isEqualTo(1);
    } finally {
      keys.flush();
    }
  }

  /**
   * 10,000 requests to distinct unknown paths and 500 to distinct paths under a {@code /**} route: every
   * {@code tollgate_*} series existed before, none carries a path, and the whole exposition stays free of paths.
   */
  @Test
  void tenThousandDistinctPathsAddNoSeries() throws Exception {
    assertThat(gateway.get("/unknown/warm-up").statusCode()).isEqualTo(404);
    assertThat(gateway.get("/files/warm-up").statusCode()).isEqualTo(200);
    // Every meter of the warm-up requests, the upstream timers included (recorded just after the request count).
    PrometheusText before = awaitScrape(s -> s.valueOrZero("tollgate_requests_total", "route", "files") == 1
        && s.valueOrZero("tollgate_upstream_response_seconds_count", "service", "app") == 1
        && s.valueOrZero("tollgate_upstream_connect_seconds_count", "service", "app") == 1);
    Set<String> seriesBefore = tollgateSeries(before);

    sendAll(10_000, i -> "/unknown/p" + i);
    sendAll(500, i -> "/files/f" + i + "/x");
    for (int i = 0; i < 20; i++) {
      // Made-up methods must not mint label values either (Vert.x's client meters label by method too).
      assertThat(gateway.send(gateway.request("/files/m").method("FOO" + i, HttpRequest.BodyPublishers.noBody())
          .build()).statusCode()).isEqualTo(200);
    }

    PrometheusText after = awaitScrape(s -> s.valueOrZero("tollgate_requests_total", "route", "none", "method", "GET")
        == 10_001 && s.valueOrZero("tollgate_requests_total", "route", "files", "method", "GET") == 501
        && s.valueOrZero("tollgate_requests_total", "route", "files", "method", "OTHER") == 20);
    seriesBefore.add("tollgate_requests_total{method=OTHER, route=files, status_class=2xx}");
    assertThat(tollgateSeries(after)).as("no series added by new paths").isEqualTo(seriesBefore);
    // A sanity bound only (the equality above is the test): the count depends on config and features, never on paths.
    assertThat(seriesBefore.size()).as("series stay few").isLessThan(200);
    String exposition = scrapeResponse().body();
    assertThat(exposition).doesNotContain("/unknown/", "/files/", "warm-up", "FOO");
    assertThat(after.value("tollgate_rejections_total", "reason", "routing")).isEqualTo(10_001);
  }

  // ---------------------------------------------------------------------------------------------------------

  private RawResponse upload(int bytes) throws Exception {
    try (RawHttpClient client = RawHttpClient.connect("127.0.0.1", gateway.port())) {
      client.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + bytes + "\r\n\r\n" + "a".repeat(bytes));
      RawResponse response = client.readResponse(WAIT);
      assertProblem(response.status(), "body-too-large", response.header("Content-Type"),
          response.header("X-Request-Id"), response.bodyAsString());
      return response;
    }
  }

  private void sendAll(int count, java.util.function.IntFunction<String> path) throws InterruptedException {
    Semaphore window = new Semaphore(32);
    List<CompletableFuture<Integer>> calls = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      window.acquire();
      calls.add(gateway.http().sendAsync(gateway.request(path.apply(i)).build(), HttpResponse.BodyHandlers.discarding())
          .thenApply(HttpResponse::statusCode)
          .whenComplete((status, error) -> window.release()));
    }
    Set<Integer> statuses = calls.stream().map(CompletableFuture::join).collect(Collectors.toSet());
    assertThat(statuses).hasSize(1);
  }

  private static Map<String, Double> requests(PrometheusText m) {
    return m.named("tollgate_requests_total").stream().collect(Collectors.toMap(
        s -> s.label("route") + " " + s.label("method") + " " + s.label("status_class"), Sample::value));
  }

  private static Map<String, Double> rejections(PrometheusText m) {
    return m.named("tollgate_rejections_total").stream().collect(Collectors.toMap(s -> s.label("reason"),
        Sample::value));
  }

  /** Per label value: buckets never decrease, and the +Inf bucket equals the count. */
  private static void assertHistogramsAddUp(PrometheusText m, String histogram, String label) {
    List<Sample> counts = m.named(histogram + "_count");
    assertThat(counts).isNotEmpty();
    for (Sample count : counts) {
      String value = count.label(label);
      List<Sample> buckets = m.matching(histogram + "_bucket", label, value);
      assertThat(buckets).as("buckets of %s", value).hasSize(RouteMeters.SLO_BUCKETS.length + 1);
      double previous = 0;
      for (Sample bucket : buckets) {
        assertThat(bucket.value()).as("%s le=%s", value, bucket.label("le")).isGreaterThanOrEqualTo(previous);
        previous = bucket.value();
      }
      assertThat(m.value(histogram + "_bucket", label, value, "le", "+Inf")).isEqualTo(count.value());
    }
  }

  private static Set<String> tollgateSeries(PrometheusText m) {
    return m.samples().stream().filter(s -> s.name().startsWith("tollgate_"))
        .map(s -> s.name() + s.labels()).collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> names(PrometheusText m) {
    return m.samples().stream().map(Sample::name).collect(Collectors.toSet());
  }

  private HttpResponse<String> scrapeResponse() {
    return scrapeResponse(gateway);
  }

  private static HttpResponse<String> scrapeResponse(TestGateway target) {
    return target.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + target.managementPort() + "/metrics"))
        .timeout(WAIT).build());
  }

  /** Scrapes until {@code ready} holds: a request is measured when its response has ended, just after the client reads it. */
  private PrometheusText awaitScrape(Predicate<PrometheusText> ready) {
    return awaitScrape(gateway, ready);
  }

  private static PrometheusText awaitScrape(TestGateway target, Predicate<PrometheusText> ready) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    PrometheusText m;
    do {
      m = PrometheusText.parse(scrapeResponse(target).body());
      if (ready.test(m)) {
        return m;
      }
      sleep();
    } while (System.nanoTime() < deadline);
    throw new AssertionError("metrics never reached the expected state:\n" + m.samples().stream()
        .filter(s -> s.name().startsWith("tollgate_")).map(Sample::toString).collect(Collectors.joining("\n")));
  }

  private static void sleep() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
