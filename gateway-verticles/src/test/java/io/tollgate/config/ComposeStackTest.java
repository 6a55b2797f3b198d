package io.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The compose stack ({@code compose/}) cannot run here (no Docker engine), so what can be checked is: the files
 * parse, every service the docs promise is there, each gateway node's environment makes {@code compose/gateway.yaml}
 * a valid config, and Prometheus scrapes the management port that config opens on every node.
 */
class ComposeStackTest {

  private static final Path COMPOSE = Path.of("../compose");

  @Test
  @SuppressWarnings("unchecked")
  void theStackWiresTwoGatewaysToKafkaRedisPrometheusAndGrafana() throws Exception {
    Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE.resolve("docker-compose.yml")));
    Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
    assertThat(services).containsKeys("kafka", "kafka-init", "redis", "postgres", "jaeger", "prometheus", "grafana",
        "gateway-1", "gateway-2", "echo", "seed");

    Map<String, Object> prometheus = new Yaml().load(Files.readString(COMPOSE.resolve("prometheus/prometheus.yml")));
    List<String> targets = (List<String>) ((List<Map<String, Object>>) ((List<Map<String, Object>>)
        prometheus.get("scrape_configs")).get(0).get("static_configs")).get(0).get("targets");

    for (String node : List.of("gateway-1", "gateway-2")) {
      Map<String, Object> service = services.get(node);
      Map<String, String> env = new HashMap<>();
      ((Map<String, Object>) service.get("environment")).forEach((k, v) -> env.put(k, String.valueOf(v)));
      GatewayConfig config = ConfigLoader.parse(Files.readString(COMPOSE.resolve("gateway.yaml")), env);

      assertThat(config.management().host()).as("scrapable from the compose network").isEqualTo("0.0.0.0");
      assertThat(targets).contains(node + ":" + config.management().port());
      assertThat((List<String>) service.get("ports")).singleElement().asString()
          .endsWith(":" + config.listener().port());
      assertThat(config.rateLimiting().redis().endpoint()).isEqualTo("redis:6379");
      assertThat(config.ownership().bootstrapServers()).isEqualTo("kafka:9092");
      assertThat(config.managed()).isTrue();
      assertThat(config.tracing().endpoint()).isEqualTo("http://jaeger:4318");
      Map<String, Object> postgres = (Map<String, Object>) services.get("postgres").get("environment");
      assertThat(config.controlPlane().postgres().url())
          .isEqualTo("postgresql://" + postgres.get("POSTGRES_USER") + "@postgres:5432/" + postgres.get("POSTGRES_DB"));
      assertThat(config.controlPlane().postgres().password()).isEqualTo(postgres.get("POSTGRES_PASSWORD"));
      assertThat(((Map<String, Object>) services.get("seed").get("environment")).get("TOLLGATE_ADMIN_KEY"))
          .isEqualTo(env.get("TOLLGATE_ADMIN_KEY"));
      // What the seed puts through the Admin API is valid on top of this node's bootstrap.
      GatewayConfig seeded = seedEntities().compile(Files.readString(COMPOSE.resolve("gateway.yaml")), env);
      assertThat(seeded.routes()).extracting(r -> r.id()).containsExactly("echo");
      assertThat(seeded.rateLimiting().policies()).containsKey("per-client");
      assertThat(env.get("KAFKA_BOOTSTRAP_SERVERS")).isEqualTo(
          ((Map<String, Object>) services.get("kafka").get("environment")).get("KAFKA_ADVERTISED_LISTENERS")
              .toString().replace("PLAINTEXT://", ""));
    }
    assertThat((List<String>) services.get("grafana").get("volumes"))
        .contains("./grafana/dashboards:/var/lib/grafana/dashboards:ro");
    Map<String, Object> provider = new Yaml().load(Files.readString(
        COMPOSE.resolve("grafana/provisioning/dashboards/tollgate.yml")));
    assertThat(provider.toString()).contains("path=/var/lib/grafana/dashboards");
  }

  /** compose/control-plane/<kind>/<id>.json, as seed.sh puts them (services, limits, routes). */
  private static io.tollgate.store.ManagedEntities seedEntities() throws java.io.IOException {
    List<io.tollgate.store.EntityChange> changes = new java.util.ArrayList<>();
    for (String kind : List.of("services", "limits", "routes")) {
      try (var files = Files.list(COMPOSE.resolve("control-plane").resolve(kind))) {
        for (var file : files.sorted().toList()) {
          changes.add(io.tollgate.store.EntityChange.put(io.tollgate.store.EntityKind.of(kind),
              file.getFileName().toString().replace(".json", ""), new io.vertx.core.json.JsonObject(Files.readString(file))));
        }
      }
    }
    return io.tollgate.store.ManagedEntities.EMPTY.apply(changes.size(), changes);
  }
}
