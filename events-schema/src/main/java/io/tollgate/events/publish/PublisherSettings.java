package io.tollgate.events.publish;

import io.tollgate.events.Topics;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Settings of an {@link OwnershipPublisher}.
 *
 * @param bootstrapServers {@code host:port[,host:port...]} of the Kafka cluster; required
 * @param topic            default {@link Topics#OWNERSHIP}
 * @param timeout          how long a publish may take in all, from the call to the broker's acknowledgement,
 *                         metadata fetch and retries included (Kafka's {@code max.block.ms} and
 *                         {@code delivery.timeout.ms}); default 30 s, at least 100 ms
 * @param clientOverrides  further kafka-clients producer settings, e.g. {@code security.protocol},
 *                         {@code sasl.*}, {@code client.id}, {@code compression.type}; applied after the
 *                         defaults, except the settings that make publishing safe (idempotence, {@code acks=all},
 *                         the timeouts, the serializers), which always win; default none
 */
public record PublisherSettings(String bootstrapServers, String topic, Duration timeout,
    Map<String, Object> clientOverrides) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
  private static final String DEFAULT_CLIENT_ID = "tollgate-ownership-publisher";

  public PublisherSettings {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrapServers is required");
    }
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("topic is required");
    }
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("timeout must be between 100 ms and 24 days, was " + timeout);
    }
    clientOverrides = Map.copyOf(clientOverrides);
  }

  /** Defaults for the cluster at {@code bootstrapServers}. */
  public static PublisherSettings of(String bootstrapServers) {
    return new PublisherSettings(bootstrapServers, Topics.OWNERSHIP, DEFAULT_TIMEOUT, Map.of());
  }

  public PublisherSettings withTopic(String topic) {
    return new PublisherSettings(bootstrapServers, topic, timeout, clientOverrides);
  }

  public PublisherSettings withTimeout(Duration timeout) {
    return new PublisherSettings(bootstrapServers, topic, timeout, clientOverrides);
  }

  public PublisherSettings withClientOverrides(Map<String, Object> clientOverrides) {
    return new PublisherSettings(bootstrapServers, topic, timeout, clientOverrides);
  }

  /** The kafka-clients producer configuration these settings stand for. */
  public Map<String, Object> producerConfig() {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.CLIENT_ID_CONFIG, DEFAULT_CLIENT_ID);
    config.putAll(clientOverrides);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    // A retried send is written once, in order per partition; acknowledged only once every in-sync replica has it.
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    int millis = (int) timeout.toMillis();
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, millis);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, millis);
    // Kafka requires delivery.timeout.ms >= linger.ms + request.timeout.ms.
    long linger = Long.parseLong(String.valueOf(config.getOrDefault(ProducerConfig.LINGER_MS_CONFIG, 0)));
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.max(1, Math.min(30_000, (millis - linger) / 2)));
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return config;
  }
}
