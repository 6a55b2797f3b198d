package io.tollgate.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.kafka.KafkaBroker;
import io.tollgate.testkit.kafka.KafkaTopics;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.redis.TestKeyspace;
import io.tollgate.testkit.redis.TestRedis;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.Yaml;

/**
 * The monitoring assets shipped in {@code compose/} — Prometheus alert rules and the Grafana dashboard — parse,
 * name what the operations docs promise, and query only metrics a running gateway exports (a gateway with every feature that
 * registers meters: routes, Redis rate limits, the ownership replica, circuit breakers). {@code promtool check rules} and
 * {@code promtool test rules compose/prometheus/alerts.test.yml} check the expressions themselves where Debian's
 * prometheus package is installed.
 */
@ExtendWith(BlockedThreadGuard.class)
class MonitoringAssetsIT {

  private static final Path RULES = Path.of("../compose/prometheus/alerts.yml");
  private static final Path DASHBOARD = Path.of("../compose/grafana/dashboards/tollgate.json");
  private static final Pattern METRIC = Pattern.compile("\\btollgate_[a-z_]+");

  @Test
  @SuppressWarnings("unchecked")
  void everyAlertAndDashboardPanelQueriesMetricsTheGatewayExports() throws Exception {
    Map<String, Object> doc = new Yaml().load(Files.readString(RULES));
    List<Map<String, Object>> rules = (List<Map<String, Object>>) ((List<Map<String, Object>>) doc.get("groups"))
        .get(0).get("rules");
    assertThat(rules).extracting(rule -> rule.get("alert"))
        .contains("HighGatewayLatency", "HighErrorRate", "ReplicaStale", "RateLimiterDegraded", "CircuitBreakerOpen");
    Set<String> queried = new TreeSet<>();
    for (Map<String, Object> rule : rules) {
      assertThat(rule).containsKeys("expr", "for", "labels", "annotations");
      Matcher m = METRIC.matcher((String) rule.get("expr"));
      while (m.find()) {
        queried.add(m.group());
      }
    }

    Set<String> exported = exportedMetricNames();

    assertThat(queried).isNotEmpty();
    assertThat(exported).containsAll(queried);
    assertThat(exported).as("the Grafana dashboard's queries").containsAll(dashboardMetrics());
  }

  /** Every {@code tollgate_*} metric in the dashboard's panel queries; each panel has at least one query. */
  private static Set<String> dashboardMetrics() throws java.io.IOException {
    io.vertx.core.json.JsonObject dashboard = new io.vertx.core.json.JsonObject(Files.readString(DASHBOARD));
    Set<String> metrics = new TreeSet<>();
    for (Object p : dashboard.getJsonArray("panels")) {
      io.vertx.core.json.JsonArray targets = ((io.vertx.core.json.JsonObject) p).getJsonArray("targets");
      assertThat(targets).as("panel " + ((io.vertx.core.json.JsonObject) p).getString("title")).isNotEmpty();
      for (Object t : targets) {
        Matcher m = METRIC.matcher(((io.vertx.core.json.JsonObject) t).getString("expr"));
        while (m.find()) {
          metrics.add(m.group());
        }
      }
    }
    assertThat(metrics).isNotEmpty();
    return metrics;
  }

  private static Set<String> exportedMetricNames() {
    Vertx vertx = Vertx.vertx();
    TestKeyspace keys = TestRedis.forClass("MonitoringAssetsIT");
    String topic = KafkaTopics.uniqueName("alert-rules");
    try (UpstreamPeer upstream = UpstreamPeer.start(vertx);
        KafkaTopics topics = KafkaTopics.on(KafkaBroker.shared()).createCompacted(topic, 1);
        TestGateway gateway = TestGateway.start("""
            listener: { port: 0 }
            management: { port: 0 }
            rateLimiting:
              redis: { url: "${REDIS_URL}", keyPrefix: "${PREFIX}", budget: 500ms }
            ownership:
              kafka: { bootstrapServers: "${KAFKA}" }
              topic: ${TOPIC}
            services:
              app: { targets: [ "${APP_URL}" ], circuitBreaker: {} }
            routes:
              - { id: app, path: /app, service: app, auth: public, rateLimit: [ { name: l, rate: 100/s } ] }
            """, Map.of("REDIS_URL", keys.redis().connectionString(), "PREFIX", keys.prefix(),
            "KAFKA", KafkaBroker.shared().bootstrapServers(), "TOPIC", topic, "APP_URL", upstream.baseUrl()))) {
      assertThat(gateway.get("/app").statusCode()).isEqualTo(200);
      Await.until(() -> gateway.get("/readyz").statusCode() == 200, Duration.ofSeconds(30),
          () -> "the gateway never turned ready");
      String exposition = gateway.send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + gateway.managementPort() + "/metrics")).build()).body();
      return PrometheusText.parse(exposition).samples().stream().map(PrometheusText.Sample::name)
          .collect(Collectors.toCollection(TreeSet::new));
    } finally {
      keys.flush();
      vertx.close();
    }
  }
}
