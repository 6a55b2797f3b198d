package io.tollgate.ownership;

import io.tollgate.config.OwnershipConfig;
import io.tollgate.events.ownership.MalformedEventException;
import io.tollgate.events.ownership.OwnershipCodec;
import io.tollgate.events.ownership.OwnershipEvent;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's single writer: a loop on its own thread that reads every partition of the ownership topic from the
 * beginning (assigned, no consumer group, nothing committed: every node rebuilds its full replica) and applies each
 * record to the {@link OwnershipReplica}.
 *
 * <p><b>Caught up</b> means: every partition's position reached the end offset the broker reported once the
 * partitions were assigned — not "after the first poll". <b>Freshness</b>: about every second the end offsets are
 * asked again; an answer records the lag and resets the staleness clock, a timeout records the error (the replica
 * keeps serving what it has; the Kafka client reconnects by itself). New partitions are picked up every 30 s.
 *
 * <p><b>Bad records</b> (not JSON, unknown type or version, key/value mismatch, invalid key) are counted and logged
 * with their partition and offset (at most one line per second, with the number suppressed), then skipped: they
 * never stop consumption.
 */
final class OwnershipFeed implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(OwnershipFeed.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(2);
  private static final long END_CHECK_NANOS = 1_000_000_000L;
  private static final long PARTITION_REFRESH_NANOS = 30_000_000_000L;

  private final OwnershipConfig config;
  private final OwnershipState state;
  private final Runnable onCaughtUp;
  private final String clientId;
  private volatile boolean running = true;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private List<TopicPartition> partitions = List.of();
  private Map<TopicPartition, Long> catchUpTarget;
  private long nextEndCheck;
  private long nextPartitionRefresh;
  private long nextMalformedLog;
  private long suppressedMalformed;

  /** @param onCaughtUp run once, on this feed's thread, when the replica first caught up */
  OwnershipFeed(OwnershipConfig config, OwnershipState state, Runnable onCaughtUp, String clientId) {
    this.config = config;
    this.state = state;
    this.onCaughtUp = onCaughtUp;
    this.clientId = clientId;
  }

  /** Runs until {@link #stop()}: nothing but stop ends the loop, not even a consumer that cannot be built. */
  @Override
  public void run() {
    while (running) {
      KafkaConsumer<byte[], byte[]> kafka;
      try {
        kafka = new KafkaConsumer<>(properties());
      } catch (KafkaException e) {
        // e.g. a bootstrap host that does not resolve yet (kafka-clients 3.7 refuses to build the client then)
        state.failed(describe(e));
        LOG.warn("ownership feed cannot create its Kafka consumer: {}; retrying", describe(e));
        pause(1_000);
        continue;
      }
      try (kafka) {
        consumer = kafka;
        partitions = List.of();
        while (running) {
          try {
            step(kafka);
          } catch (WakeupException e) {
            // stop() woke us: the loop condition ends it
          } catch (RuntimeException e) {
            state.failed(e.toString());
            LOG.warn("ownership feed: {}; retrying", e.toString(), e);
            pause(1_000);
          }
        }
      } catch (RuntimeException e) {
        LOG.warn("ownership feed could not close its consumer cleanly: {}", e.toString());
      } finally {
        consumer = null;
      }
    }
  }

  /** Ends the loop (from any thread) and interrupts a blocking poll. */
  void stop() {
    running = false;
    KafkaConsumer<byte[], byte[]> kafka = consumer;
    if (kafka != null) {
      kafka.wakeup();
    }
  }

  private void step(KafkaConsumer<byte[], byte[]> kafka) {
    long now = System.nanoTime();
    if (partitions.isEmpty() || now - nextPartitionRefresh >= 0) {
      assign(kafka);
      if (partitions.isEmpty()) {
        pause(1_000);
        return;
      }
    }
    ConsumerRecords<byte[], byte[]> records = kafka.poll(POLL);
    for (ConsumerRecord<byte[], byte[]> record : records) {
      apply(record);
    }
    if (System.nanoTime() - nextEndCheck >= 0 || (!state.caughtUp() && records.isEmpty())) {
      checkEnds(kafka);
    }
  }

  private void assign(KafkaConsumer<byte[], byte[]> kafka) {
    nextPartitionRefresh = System.nanoTime() + PARTITION_REFRESH_NANOS;
    List<PartitionInfo> infos = kafka.partitionsFor(config.topic(), ADMIN_TIMEOUT);
    if (infos == null || infos.isEmpty()) {
      state.failed("topic " + config.topic() + " does not exist (yet)");
      return;
    }
    List<TopicPartition> all = new ArrayList<>();
    infos.forEach(info -> all.add(new TopicPartition(info.topic(), info.partition())));
    if (all.size() == partitions.size() && Set.copyOf(all).equals(Set.copyOf(partitions))) {
      return;
    }
    List<TopicPartition> added = new ArrayList<>(all);
    added.removeAll(partitions);
    kafka.assign(all);
    kafka.seekToBeginning(added);
    partitions = List.copyOf(all);
    LOG.info("ownership feed reading {} partition(s) of {} from the beginning", all.size(), config.topic());
  }

  private void checkEnds(KafkaConsumer<byte[], byte[]> kafka) {
    nextEndCheck = System.nanoTime() + END_CHECK_NANOS;
    Map<TopicPartition, Long> ends;
    try {
      ends = kafka.endOffsets(partitions, ADMIN_TIMEOUT);
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      state.failed("Kafka did not answer within " + ADMIN_TIMEOUT.toMillis() + " ms: " + e.getMessage());
      return;
    }
    if (catchUpTarget == null) {
      catchUpTarget = new HashMap<>(ends);
    }
    long lag = 0;
    boolean reached = true;
    for (TopicPartition tp : partitions) {
      long position = kafka.position(tp, ADMIN_TIMEOUT);
      lag += Math.max(0, ends.getOrDefault(tp, 0L) - position);
      reached &= position >= catchUpTarget.getOrDefault(tp, 0L);
    }
    state.confirmed(lag);
    if (reached && !state.caughtUp()) {
      state.markCaughtUp();
      LOG.info("ownership replica caught up: {} records", state.replica().size());
      onCaughtUp.run();
    }
  }

  private void apply(ConsumerRecord<byte[], byte[]> record) {
    try {
      if (record.value() == null) {
        String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
        int colon = key.indexOf(':');
        if (colon <= 0 || colon == key.length() - 1) {
          throw new IllegalArgumentException("tombstone with invalid key '" + key + "'");
        }
        state.replica().tombstone(key.substring(0, colon), key.substring(colon + 1));
        return;
      }
      OwnershipEvent event = OwnershipCodec.decode(record.key(), record.value());
      state.replica().apply(event);
    } catch (MalformedEventException | IllegalArgumentException e) {
      state.malformed();
      logMalformed(record, e.getMessage());
    } catch (RuntimeException e) {
      // A bug, not bad input: still skip the record rather than lose the rest of the batch (positions have moved).
      state.malformed();
      LOG.error("ownership record {}-{}@{} could not be applied", record.topic(), record.partition(),
          record.offset(), e);
    }
  }

  private void logMalformed(ConsumerRecord<byte[], byte[]> record, String why) {
    long now = System.nanoTime();
    if (now - nextMalformedLog < 0) {
      suppressedMalformed++;
      return;
    }
    nextMalformedLog = now + 1_000_000_000L;
    LOG.warn("skipped malformed ownership record {}-{}@{}: {}{}", record.topic(), record.partition(),
        record.offset(), why, suppressedMalformed == 0 ? "" : " (" + suppressedMalformed + " more since the last line)");
    suppressedMalformed = 0;
  }

  private Properties properties() {
    Properties p = new Properties();
    p.putAll(config.properties());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"); // an auto-created topic would not be compacted
    p.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
    p.putIfAbsent(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
    return p;
  }

  /** The messages of {@code e} and its causes: Kafka wraps the useful one ("No resolvable bootstrap urls"). */
  static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(e.toString());
    for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
      sb.append(": ").append(cause.getMessage());
    }
    return sb.toString();
  }

  private void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }
}
