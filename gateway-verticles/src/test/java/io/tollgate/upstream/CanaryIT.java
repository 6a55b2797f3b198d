package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.observability.PrometheusText;
import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Weighted routing between services with real peers: a 90/10 split holds within ±2 % over 10,000 requests and shows
 * in the per-service upstream metrics; the canary header forces the canary service.
 */
@ExtendWith(BlockedThreadGuard.class)
class CanaryIT {

  private static Vertx vertx;
  private static Peers peers;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    peers = Peers.start(vertx, "s1", "s2", "c1", "h1", "h2");
    gateway = TestGateway.start("""
        listener: { port: 0 }
        management: { port: 0 }
        services:
          stable: { targets: [ "${s1}", "${s2}" ] }
          canary: { targets: [ "${c1}" ] }
          home: { targets: [ "${h1}" ] }
          preview: { targets: [ "${h2}" ] }
        routes:
          - id: orders
            path: /orders/**
            auth: public
            services: [ { name: stable, weight: 90 }, { name: canary, weight: 10 } ]
            canary: { header: X-Canary, value: "on", service: canary }
          - id: home
            path: /home/**
            auth: public
            service: home
            canary: { header: X-Preview, service: preview }
        """, peers.env());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    peers.close();
    vertx.close();
  }

  @Test
  void aNinetyTenSplitHoldsWithinTwoPercentOverTenThousandRequests() {
    int requests = 10_000;
    int canaryBefore = peers.get("c1").requestCount();
    int stableBefore = peers.get("s1").requestCount() + peers.get("s2").requestCount();
    PrometheusText metricsBefore = PrometheusText.parse(gateway.managementGet("/metrics"));
    List<CompletableFuture<HttpResponse<Void>>> window = new ArrayList<>();
    int failed = 0;
    for (int i = 0; i < requests; i++) {
      window.add(gateway.http().sendAsync(gateway.request("/orders/" + i).build(),
          HttpResponse.BodyHandlers.discarding()));
      if (window.size() == 32 || i == requests - 1) {
        failed += (int) window.stream().map(CompletableFuture::join).filter(r -> r.statusCode() != 200).count();
        window.clear();
      }
    }
    assertThat(failed).isZero();
    int canary = peers.get("c1").requestCount() - canaryBefore;
    int stable = peers.get("s1").requestCount() + peers.get("s2").requestCount() - stableBefore;
    System.out.printf("split over %d requests: stable %d (%.2f %%), canary %d (%.2f %%)%n", requests, stable,
        stable * 100.0 / requests, canary, canary * 100.0 / requests);
    assertThat(stable + canary).isEqualTo(requests);
    assertThat(canary).as("10 %% ± 2 %%").isBetween(800, 1200);

    // Request meters are recorded when a request finishes, which its client may see first: wait for the last ones.
    Await.until(() -> delta(PrometheusText.parse(gateway.managementGet("/metrics")), metricsBefore,
        "tollgate_requests_total", "route", "orders", "method", "GET", "status_class", "2xx") == requests,
        Duration.ofSeconds(10), () -> "not every request counted yet");
    PrometheusText metrics = PrometheusText.parse(gateway.managementGet("/metrics"));
    assertThat(delta(metrics, metricsBefore, "tollgate_upstream_response_seconds_count", "service", "canary"))
        .isEqualTo(canary);
    assertThat(delta(metrics, metricsBefore, "tollgate_upstream_response_seconds_count", "service", "stable"))
        .isEqualTo(stable);
  }

  /** The growth of a sample between two scrapes (a series absent before counts from 0). */
  private static double delta(PrometheusText after, PrometheusText before, String name, String... labels) {
    double was = before.samples().stream().anyMatch(sample -> sample.name().equals(name)
        && matches(sample, labels)) ? before.value(name, labels) : 0;
    return after.value(name, labels) - was;
  }

  private static boolean matches(PrometheusText.Sample sample, String... labels) {
    for (int i = 0; i < labels.length; i += 2) {
      if (!labels[i + 1].equals(sample.label(labels[i]))) {
        return false;
      }
    }
    return true;
  }

  @Test
  void theCanaryHeaderForcesTheCanaryServiceAndOtherValuesDoNot() {
    int before = peers.get("c1").requestCount();
    for (int i = 0; i < 50; i++) {
      HttpResponse<String> response = gateway.send(gateway.request("/orders/forced-" + i)
          .header("X-Canary", "on").build());
      assertThat(response.statusCode()).isEqualTo(200);
    }
    assertThat(peers.get("c1").requestCount()).isEqualTo(before + 50);

    int h1 = peers.get("h1").requestCount();
    for (int i = 0; i < 20; i++) {
      gateway.send(gateway.request("/home/" + i).header("X-Preview", i % 2 == 0 ? "yes" : "any").build());
      gateway.get("/home/plain-" + i);
    }
    assertThat(peers.get("h2").requestCount()).as("any value selects the preview").isEqualTo(20);
    assertThat(peers.get("h1").requestCount()).isEqualTo(h1 + 20);
  }
}
