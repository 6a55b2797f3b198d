package io.tollgate.testkit.kafka;

import io.vertx.core.Context;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Arranges and inspects topics for a test with the plain Kafka clients (the kafka-clients version the gateway
 * uses): create topics, produce records synchronously, read a topic back to its end.
 *
 * <pre>{@code
 * try (KafkaTopics topics = KafkaTopics.on(KafkaBroker.shared())) {
 *   String topic = KafkaTopics.uniqueName("routes");
 *   topics.createCompacted(topic, 3);
 *   topics.produce(topic, "route-1", "{...}", Map.of("event-type", "RouteUpserted"));
 *   topics.produce(topic, "route-1", null);                  // tombstone
 *   List<TopicRecord> all = topics.readToEnd(topic);         // both records
 *   Map<String, String> latest = topics.latestByKey(topic);  // {} — what compaction converges to
 * }
 * }</pre>
 *
 * <p>Every call blocks until the broker has answered (at most {@value #TIMEOUT_SECONDS} s, then
 * {@link AssertionError}). Threads: call from test threads, never from an event loop (rejected with
 * {@link IllegalStateException}); one instance may be shared by threads. Close it to release its clients.
 */
public final class KafkaTopics implements AutoCloseable {

  private static final long TIMEOUT_SECONDS = 30;
  private static final Duration TIMEOUT = Duration.ofSeconds(TIMEOUT_SECONDS);
  private static final Duration POLL = Duration.ofMillis(100);

  private final String bootstrapServers;
  private final Admin admin;
  private KafkaProducer<byte[], byte[]> producer;

  private KafkaTopics(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
    this.admin = Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()));
  }

  public static KafkaTopics on(KafkaBroker broker) {
    return on(broker.bootstrapServers());
  }

  public static KafkaTopics on(String bootstrapServers) {
    return new KafkaTopics(bootstrapServers);
  }

  /** {@code prefix} plus a random suffix: a topic (or group) name no other test on a shared broker uses. */
  public static String uniqueName(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates a topic with {@code partitions} partitions, replication factor 1 and Kafka's default configs. */
  public KafkaTopics create(String topic, int partitions) {
    return create(topic, partitions, Map.of());
  }

  /**
   * Creates a compacted topic ({@code cleanup.policy=compact}), as for state keyed by id. The broker only
   * compacts closed segments; add {@code segment.ms} / {@code min.cleanable.dirty.ratio} through
   * {@link #create(String, int, Map)} to see compaction happen within a test.
   */
  public KafkaTopics createCompacted(String topic, int partitions) {
    return create(topic, partitions, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
  }

  /** Creates a topic with topic-level {@code configs} (names as in {@link TopicConfig}). */
  public KafkaTopics create(String topic, int partitions, Map<String, String> configs) {
    NewTopic newTopic = new NewTopic(topic, partitions, (short) 1).configs(configs);
    await(admin.createTopics(List.of(newTopic)).all(), "create topic " + topic);
    return this;
  }

  /** The topic's partition count. */
  public int partitions(String topic) {
    return await(admin.describeTopics(List.of(topic)).allTopicNames(), "describe topic " + topic)
        .get(topic).partitions().size();
  }

  /** The topic's effective configuration (defaults included), e.g. {@code cleanup.policy}. */
  public Map<String, String> config(String topic) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config config = await(admin.describeConfigs(List.of(resource)).all(), "describe configs of " + topic)
        .get(resource);
    return config.entries().stream()
        .filter(entry -> entry.value() != null)
        .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value));
  }

  /** Produces a UTF-8 record ({@code null} value: a tombstone) and waits for the broker's acknowledgement. */
  public RecordMetadata produce(String topic, String key, String value) {
    return produce(topic, key, value, Map.of());
  }

  /** As {@link #produce(String, String, String)}, with UTF-8 headers. */
  public RecordMetadata produce(String topic, String key, String value, Map<String, String> headers) {
    List<Header> recordHeaders = new ArrayList<>();
    headers.forEach((name, text) -> recordHeaders.add(new RecordHeader(name, utf8(text))));
    return produce(new ProducerRecord<>(topic, null, utf8(key), utf8(value), recordHeaders));
  }

  /** Produces any record (bytes, a chosen partition, a timestamp) and waits for the acknowledgement. */
  public RecordMetadata produce(ProducerRecord<byte[], byte[]> record) {
    notOnEventLoop(); // send() itself may block for metadata
    return await(producer().send(record), "produce to " + record.topic());
  }

  /**
   * Every record of every partition from the beginning to the end offsets as of this call, ordered by
   * partition, then offset. Uses no consumer group and commits nothing.
   *
   * @throws IllegalArgumentException when the topic does not exist
   */
  public List<TopicRecord> readToEnd(String topic) {
    notOnEventLoop();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException("topic " + topic + " does not exist on " + bootstrapServers);
      }
      List<TopicPartition> partitions = infos.stream()
          .map(info -> new TopicPartition(topic, info.partition()))
          .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, TIMEOUT);
      List<TopicRecord> records = new ArrayList<>();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!reached(consumer, ends)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + topic + " to its end offsets " + ends + " within "
              + TIMEOUT + "; read " + records.size() + " records");
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          records.add(new TopicRecord(record.topic(), record.partition(), record.offset(), record.timestamp(),
              record.key(), record.value(), List.of(record.headers().toArray())));
        }
      }
      records.sort(Comparator.comparingInt(TopicRecord::partition).thenComparingLong(TopicRecord::offset));
      return records;
    }
  }

  /**
   * The latest value of every key, read to the end: what a compacted topic converges to (a tombstone removes
   * its key). Records without a key are ignored. Keys are UTF-8; order is the order keys were last written
   * within a partition, partition by partition.
   */
  public Map<String, String> latestByKey(String topic) {
    Map<String, String> latest = new LinkedHashMap<>();
    for (TopicRecord record : readToEnd(topic)) {
      if (record.keyBytes() == null) {
        continue;
      }
      latest.remove(record.key());
      if (!record.isTombstone()) {
        latest.put(record.key(), record.value());
      }
    }
    return latest;
  }

  @Override
  public synchronized void close() {
    if (producer != null) {
      producer.close(TIMEOUT);
    }
    admin.close(TIMEOUT);
  }

  private synchronized KafkaProducer<byte[], byte[]> producer() {
    if (producer == null) {
      Map<String, Object> config = new HashMap<>();
      config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
      // Fail within a test's patience rather than Kafka's defaults (60 s, 120 s) when the broker is down.
      config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis());
      config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2);
      config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
      producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  private static boolean reached(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
    Set<TopicPartition> partitions = ends.keySet();
    return partitions.stream().allMatch(partition -> consumer.position(partition, TIMEOUT) >= ends.get(partition));
  }

  private static <T> T await(KafkaFuture<T> future, String what) {
    return await(future.toCompletionStage().toCompletableFuture(), what);
  }

  private static <T> T await(java.util.concurrent.Future<T> future, String what) {
    notOnEventLoop();
    try {
      return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("could not " + what + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("could not " + what + " within " + TIMEOUT, e);
    }
  }

  private static void notOnEventLoop() {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException("KafkaTopics blocks; call it from a test thread, not an event loop");
    }
  }

  private static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }
}
