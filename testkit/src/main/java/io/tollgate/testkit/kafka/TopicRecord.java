package io.tollgate.testkit.kafka;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Header;

/**
 * One record read back from a topic by {@link KafkaTopics#readToEnd(String)}. Keys, values and header values
 * are bytes as stored; the {@code String} accessors decode them as UTF-8. A {@code null} value is a tombstone.
 * Arrays are compared by identity in {@link #equals}: compare {@link #key()} / {@link #value()} in assertions.
 */
public record TopicRecord(String topic, int partition, long offset, long timestamp, byte[] keyBytes,
    byte[] valueBytes, List<Header> headers) {

  public TopicRecord {
    headers = List.copyOf(headers);
  }

  /** The key as UTF-8 text, or null. */
  public String key() {
    return text(keyBytes);
  }

  /** The value as UTF-8 text, or null for a tombstone. */
  public String value() {
    return text(valueBytes);
  }

  public boolean isTombstone() {
    return valueBytes == null;
  }

  /** The last header named {@code name} as UTF-8 text (Kafka allows repeats), or null when absent. */
  public String header(String name) {
    for (int i = headers.size() - 1; i >= 0; i--) {
      if (headers.get(i).key().equals(name)) {
        return text(headers.get(i).value());
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return topic + "-" + partition + "@" + offset + " " + key() + "=" + value();
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
