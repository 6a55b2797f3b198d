package io.tollgate.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry follows the config: the request meters of a route (and the upstream timers of a service) that a
 * reload removed leave {@code /metrics}, so a fleet whose routes churn does not serve series of routes long gone;
 * and {@code management.metrics: false} turns metrics off without touching traffic.
 */
@ExtendWith(BlockedThreadGuard.class)
class MetricsLifecycleIT {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String CONFIG = """
      listener: { port: 0 }
      management: { port: 0 }
      services:
        app: { targets: [ "${APP_URL}" ] }
        %s
      routes:
        - { id: kept, path: /kept, service: app }
        %s
      """;

  private static Vertx vertx;
  private static UpstreamPeer upstream;

  @BeforeAll
  static void startUpstream() {
    vertx = Vertx.vertx();
    upstream = UpstreamPeer.start(vertx);
  }

  @AfterAll
  static void stopUpstream() {
    upstream.close();
    vertx.close().await();
  }

  @Test
  void metersOfRoutesAndServicesARemovalTookAwayLeaveTheScrape(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("tollgate.yaml");
    Files.writeString(file, CONFIG.formatted("old: { targets: [ \"${APP_URL}\" ] }",
        "- { id: retired, path: /retired, service: old }"));
    try (TestGateway gateway = TestGateway.startWatching(file, Map.of("APP_URL", upstream.baseUrl()))) {
      assertThat(gateway.get("/kept").statusCode()).isEqualTo(200);
      assertThat(gateway.get("/retired").statusCode()).isEqualTo(200);
      PrometheusText before = awaitScrape(gateway, m -> m.valueOrZero("tollgate_requests_total", "route", "retired") == 1
          && m.valueOrZero("tollgate_upstream_response_seconds_count", "service", "old") == 1
          && m.valueOrZero("tollgate_requests_total", "route", "kept") == 1);
      assertThat(before.matching("tollgate_request_duration_seconds_count", "route", "retired")).hasSize(1);

      Files.writeString(file, CONFIG.formatted("", ""));
      Await.until(() -> gateway.get("/retired").statusCode() == 404, WAIT, () -> "the reload never removed /retired");

      PrometheusText after = PrometheusText.parse(scrape(gateway).body());
      assertThat(after.samples()).as("no series of the removed route or service")
          .noneMatch(s -> "retired".equals(s.labels().get("route")) || "old".equals(s.labels().get("service")));
      assertThat(after.value("tollgate_requests_total", "route", "kept", "status_class", "2xx"))
          .as("the kept route keeps counting from where it was").isEqualTo(1);
      assertThat(after.value("tollgate_upstream_response_seconds_count", "service", "app")).isEqualTo(1);
    }
  }

  @Test
  void metricsOffServesTrafficAndNoScrape() {
    try (TestGateway gateway = TestGateway.start(CONFIG.formatted("", "").replace("management: { port: 0 }",
        "management: { port: 0, metrics: false }"), Map.of("APP_URL", upstream.baseUrl()))) {
      assertThat(gateway.get("/kept").statusCode()).isEqualTo(200);
      assertThat(gateway.get("/nowhere").statusCode()).isEqualTo(404);
      HttpResponse<String> scrape = scrape(gateway);
      assertThat(scrape.statusCode()).isEqualTo(404);
      assertThat(scrape.body()).contains("management.metrics: false");
      assertThat(gateway.managementGet("/readyz")).contains("READY");
    }
  }

  private static HttpResponse<String> scrape(TestGateway gateway) {
    return gateway.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.managementPort() + "/metrics"))
        .timeout(WAIT).build());
  }

  private static PrometheusText awaitScrape(TestGateway gateway, java.util.function.Predicate<PrometheusText> ready) {
    PrometheusText[] last = new PrometheusText[1];
    Await.until(() -> ready.test(last[0] = PrometheusText.parse(scrape(gateway).body())), WAIT,
        () -> "metrics never reached the expected state: " + last[0].samples());
    return last[0];
  }
}
