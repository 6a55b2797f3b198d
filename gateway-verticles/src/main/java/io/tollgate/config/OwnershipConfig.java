package io.tollgate.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the ownership replica comes from ({@code ownership:} in YAML): the Kafka topic upstream services publish
 * ownership events to. Every node reads every partition from the beginning (no consumer group), so each holds
 * the full replica.
 *
 * @param bootstrapServers Kafka {@code host:port[,host:port…]}
 * @param topic            default {@code tollgate.ownership.v1}
 * @param properties       extra Kafka consumer properties (security settings, timeouts); the gateway's own
 *                         (group, offsets, deserializers) cannot be overridden
 */
public record OwnershipConfig(String bootstrapServers, String topic, Map<String, String> properties) {

  public static final String DEFAULT_TOPIC = "tollgate.ownership.v1";

  public OwnershipConfig {
    properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
  }
}
