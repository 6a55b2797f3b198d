package io.tollgate.events.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class PublisherSettingsTest {

  @Test
  void defaultsPublishSafelyToTheOwnershipTopicWithinThirtySeconds() {
    PublisherSettings settings = PublisherSettings.of("127.0.0.1:9092");

    assertThat(settings.topic()).isEqualTo("tollgate.ownership.v1");
    assertThat(settings.producerConfig())
        .containsEntry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9092")
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000)
        .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000)
        .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000)
        .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "tollgate-ownership-publisher");
  }

  @Test
  void overridesApplyExceptWhatMakesPublishingSafe() {
    Map<String, Object> config = PublisherSettings.of("k:9092").withTimeout(Duration.ofSeconds(10))
        .withClientOverrides(Map.of("security.protocol", "SSL", "client.id", "monitor-service", "acks", "1",
            "enable.idempotence", "false", "linger.ms", "20", "delivery.timeout.ms", "500"))
        .producerConfig();

    assertThat(config)
        .containsEntry("security.protocol", "SSL")
        .containsEntry("client.id", "monitor-service")
        .containsEntry("linger.ms", "20")
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", true)
        .containsEntry("delivery.timeout.ms", 10_000)
        .containsEntry("request.timeout.ms", 4_990); // delivery.timeout.ms >= linger.ms + request.timeout.ms
  }

  @Test
  void refusesSettingsKafkaWouldRefuseLater() {
    assertThatThrownBy(() -> PublisherSettings.of(" ")).hasMessageContaining("bootstrapServers");
    assertThatThrownBy(() -> PublisherSettings.of("k:9092").withTopic("")).hasMessageContaining("topic");
    assertThatThrownBy(() -> PublisherSettings.of("k:9092").withTimeout(Duration.ofMillis(10)))
        .hasMessageContaining("timeout");
  }
}
