package io.tollgate.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What every Kafka-backed section binds alike: brokers, extra client properties and a topic name. */
final class KafkaBinder {

  private KafkaBinder() {
  }

  /** The required {@code bootstrapServers} of {@code kafka}: {@code host:port[,host:port…]}; "" when missing. */
  static String bootstrapServers(Fields kafka) {
    ConfigNode servers = kafka.required("bootstrapServers");
    String bootstrap = servers == null ? null : servers.string();
    if (bootstrap != null && !bootstrap.matches("[^\\s,]+:\\d{1,5}(,[^\\s,]+:\\d{1,5})*")) {
      servers.error("expected host:port[,host:port...], got '" + bootstrap + "'");
    }
    return bootstrap == null ? "" : bootstrap;
  }

  /** The optional {@code properties} of {@code kafka}; the gateway's own ({@code reserved}) are errors. */
  static Map<String, String> properties(Fields kafka, List<String> reserved) {
    Map<String, String> properties = new LinkedHashMap<>();
    ConfigNode props = kafka.get("properties");
    if (props != null) {
      props.entries().forEach((name, value) -> {
        if (reserved.contains(name)) {
          value.error("set by the gateway; cannot be overridden");
        } else if (value.string() != null) {
          properties.put(name, value.string());
        }
      });
    }
    return properties;
  }

  /** A topic name field ({@code topic}), checked against Kafka's naming rule. */
  static String topic(Fields f, String fallback) {
    String topic = f.string("topic", fallback);
    if (!topic.matches("[A-Za-z0-9._-]{1,249}")) {
      f.error("topic", "invalid Kafka topic name '" + topic + "'");
    }
    return topic;
  }
}
