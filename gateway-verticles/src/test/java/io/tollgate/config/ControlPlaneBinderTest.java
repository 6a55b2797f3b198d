package io.tollgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.config.ControlPlaneConfig.AdminRole;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlPlaneBinderTest {

  private static final String KEY = "k".repeat(32);

  @Test
  void defaultsAndAKeyFromTheEnvironmentThatIsHashedAndNotKept() throws ConfigException {
    ControlPlaneConfig config = ConfigLoader.parse("""
        controlPlane:
          postgres: { url: "postgresql://tollgate@db.internal:5432/tollgate", password: "${PG_PASSWORD}" }
          kafka: { bootstrapServers: "k1:9092,k2:9092" }
          adminKeys:
            - { name: ops, key: "${ADMIN_KEY}", role: read-write }
            - { name: grafana, hash: "sha256:%s" }
        """.formatted("0".repeat(64)), Map.of("PG_PASSWORD", "pw", "ADMIN_KEY", KEY)).controlPlane();
    assertThat(config.topic()).isEqualTo("tollgate.config.v1");
    assertThat(config.lastKnownGood()).isEqualTo(Path.of("last-known-good.json"));
    assertThat(config.pollInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.relay().enabled()).isTrue();
    assertThat(config.relay().interval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.postgres().poolSize()).isEqualTo(4);
    assertThat(config.postgres().password()).isEqualTo("pw");
    assertThat(config.adminKeys()).extracting(k -> k.role()).containsExactly(AdminRole.READ_WRITE, AdminRole.READ_ONLY);
    assertThat(config.adminKeys().get(0).hash()).isEqualTo(ControlPlaneBinder.sha256(KEY)).doesNotContain(KEY);
    assertThat(config.toString()).doesNotContain("pw").doesNotContain(KEY);
  }

  @Test
  void everyErrorWithItsPath() {
    assertThatThrownBy(() -> ConfigLoader.parse("""
        controlPlane:
          postgres: { url: "postgresql://u:secret@db:5432/t" }
          kafka: { bootstrapServers: "no-port", properties: { enable.idempotence: "false" } }
          topic: "bad topic"
          pollInterval: 0s
          adminKeys:
            - { name: ops, key: short }
            - { name: ops, hash: "md5:abc", role: admin }
            - { name: both, key: "%s", hash: "sha256:%s" }
          adminJwt: { issuer: nowhere }
        """.formatted(KEY, "0".repeat(64)), Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::path)
            .contains("controlPlane.postgres.url", "controlPlane.kafka.bootstrapServers",
                "controlPlane.kafka.properties.enable.idempotence", "controlPlane.topic", "controlPlane.pollInterval",
                "controlPlane.adminKeys[0].key", "controlPlane.adminKeys[1].name", "controlPlane.adminKeys[1].hash",
                "controlPlane.adminKeys[1].role", "controlPlane.adminKeys[2].key", "controlPlane.adminJwt.issuer")
            .allSatisfy(path -> assertThat(e.getMessage()).doesNotContain("secret")));
  }

  @Test
  void aFileWithAControlPlaneLeavesManagedSectionsToIt() {
    assertThatThrownBy(() -> ConfigLoader.parse("""
        controlPlane:
          postgres: { url: "postgresql://u@db:5432/t" }
          kafka: { bootstrapServers: "k:9092" }
        services: { app: { targets: [ "http://127.0.0.1:1" ] } }
        routes: [ { id: r, path: "/r/**", service: app, auth: public } ]
        auth: { apiKeys: { keys: [] } }
        """, Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::path)
            .containsExactlyInAnyOrder("services", "routes", "auth.apiKeys.keys"));
  }
}
