package io.tollgate.events.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.events.ownership.MalformedEventException;
import io.tollgate.events.ownership.OwnershipAssigned;
import io.tollgate.events.ownership.OwnershipCodec;
import io.tollgate.events.ownership.OwnershipEvent;
import io.tollgate.events.ownership.OwnershipRevoked;
import io.tollgate.testkit.kafka.KafkaBroker;
import io.tollgate.testkit.kafka.KafkaTopics;
import io.tollgate.testkit.kafka.TopicRecord;
import io.tollgate.testkit.net.FreePorts;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** The publisher against a real broker (testkit's child-JVM KRaft broker). */
class OwnershipPublisherIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Instant AT = Instant.parse("2026-11-23T10:15:30Z");

  @Test
  void publishesKeyedEventsWithTheSchemaHeaderThatDecodeToWhatWasPublished() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    String topic = KafkaTopics.uniqueName("ownership");
    OwnershipEvent assigned = new OwnershipAssigned("monitor", "101", "user-7", "acme", 1, AT, "monitor-service");
    OwnershipEvent revoked = new OwnershipRevoked("monitor", "101", "user-7", 2, AT.plusSeconds(5), "monitor-service");
    try (KafkaTopics topics = KafkaTopics.on(broker).createCompacted(topic, 3);
        OwnershipPublisher publisher = OwnershipPublisher.create(
            PublisherSettings.of(broker.bootstrapServers()).withTopic(topic))) {
      RecordMetadata first = await(publisher.publish(assigned));
      RecordMetadata second = await(publisher.publish(revoked));

      List<TopicRecord> records = topics.readToEnd(topic);
      assertThat(records).hasSize(2);
      assertThat(records).extracting(TopicRecord::partition).containsOnly(first.partition(), second.partition());
      assertThat(records).extracting(TopicRecord::offset).containsExactly(first.offset(), second.offset());
      assertThat(records).extracting(TopicRecord::key).containsOnly("monitor:101");
      assertThat(records).extracting(record -> record.header(OwnershipCodec.SCHEMA_HEADER))
          .containsExactly("OwnershipAssigned.v1", "OwnershipRevoked.v1");
      assertThat(decode(records.get(0))).isEqualTo(assigned);
      assertThat(decode(records.get(1))).isEqualTo(revoked);
    }
  }

  @Test
  void eventsOfOneResourceArriveInPublishOrderWithoutWaitingInBetween() throws Exception {
    KafkaBroker broker = KafkaBroker.shared();
    String topic = KafkaTopics.uniqueName("ownership");
    try (KafkaTopics topics = KafkaTopics.on(broker).createCompacted(topic, 3);
        OwnershipPublisher publisher = OwnershipPublisher.create(
            PublisherSettings.of(broker.bootstrapServers()).withTopic(topic))) {
      List<CompletableFuture<RecordMetadata>> sent = new ArrayList<>();
      for (int version = 1; version <= 50; version++) {
        sent.add(publisher.publish(new OwnershipAssigned("pod", "p-1", "owner-" + version, null, version, AT, "p")));
      }
      await(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)));

      List<Long> versions = new ArrayList<>();
      for (TopicRecord record : topics.readToEnd(topic)) {
        versions.add(decode(record).version());
      }
      assertThat(versions).hasSize(50).isSorted();
    }
  }

  @Test
  void anUnreachableBrokerFailsThePublishWithinTheTimeout() {
    Duration timeout = Duration.ofSeconds(2);
    try (OwnershipPublisher publisher = OwnershipPublisher.create(
        PublisherSettings.of("127.0.0.1:" + FreePorts.next()).withTimeout(timeout))) {
      long started = System.nanoTime();
      CompletableFuture<RecordMetadata> result =
          publisher.publish(new OwnershipAssigned("monitor", "1", "u", null, 1, AT, "p"));

      assertThatThrownBy(() -> result.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(timeout.minusMillis(100),
          timeout.plusSeconds(3));
    }
  }

  @Test
  void publishingAfterCloseFailsAtOnce() {
    OwnershipPublisher publisher = OwnershipPublisher.create(PublisherSettings.of(KafkaBroker.shared()
        .bootstrapServers()));
    publisher.close();

    assertThat(publisher.publish(new OwnershipAssigned("monitor", "1", "u", null, 1, AT, "p")))
        .isCompletedExceptionally();
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private static OwnershipEvent decode(TopicRecord record) throws MalformedEventException {
    return OwnershipCodec.decode(record.keyBytes(), record.valueBytes());
  }
}
