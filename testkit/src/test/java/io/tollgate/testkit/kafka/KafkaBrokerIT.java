package io.tollgate.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import io.vertx.kafka.client.producer.KafkaHeader;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.kafka.client.producer.RecordMetadata;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BlockedThreadGuard.class)
class KafkaBrokerIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private final Vertx vertx = Vertx.vertx(BlockedThreadGuard.vertxOptions());

  @AfterEach
  void closeVertx() {
    Await.result(vertx.close(), WAIT);
  }

  @Test
  void compactedTopicKeepsEveryWriteInOrderUntilCompactedToTheLatestValuePerKey() {
    try (KafkaTopics topics = KafkaTopics.on(KafkaBroker.shared())) {
      String topic = KafkaTopics.uniqueName("routes");
      topics.createCompacted(topic, 3);

      topics.produce(topic, "route-1", "v1", Map.of("event-type", "RouteUpserted"));
      topics.produce(topic, "route-2", "v1");
      topics.produce(topic, "route-1", "v2", Map.of("event-type", "RouteUpserted"));
      topics.produce(topic, "route-2", null, Map.of("event-type", "RouteDeleted"));

      assertThat(topics.config(topic)).containsEntry("cleanup.policy", "compact");
      assertThat(topics.partitions(topic)).isEqualTo(3);
      List<TopicRecord> records = topics.readToEnd(topic);
      assertThat(records).hasSize(4);
      assertThat(records.stream().filter(record -> record.key().equals("route-1")))
          .extracting(TopicRecord::value, record -> record.header("event-type"))
          .containsExactly(tuple("v1", "RouteUpserted"), tuple("v2", "RouteUpserted"));
      assertThat(records.stream().filter(record -> record.key().equals("route-2")))
          .extracting(TopicRecord::value, TopicRecord::isTombstone)
          .containsExactly(tuple("v1", false), tuple(null, true));
      assertThat(topics.latestByKey(topic)).containsExactly(Map.entry("route-1", "v2"));
    }
  }

  @Test
  void vertxKafkaClientRoundTripsRecordsWithHeaders() throws Exception {
    try (KafkaTopics topics = KafkaTopics.on(KafkaBroker.shared())) {
      String topic = KafkaTopics.uniqueName("events");
      topics.create(topic, 1);
      BlockingQueue<KafkaConsumerRecord<String, String>> received = new LinkedBlockingQueue<>();
      KafkaConsumer<String, String> consumer = vertxConsumer(KafkaBroker.shared(), received);
      KafkaProducer<String, String> producer = KafkaProducer.create(vertx, Map.of(
          "bootstrap.servers", KafkaBroker.shared().bootstrapServers(),
          "key.serializer", "org.apache.kafka.common.serialization.StringSerializer",
          "value.serializer", "org.apache.kafka.common.serialization.StringSerializer",
          "acks", "all"));
      try {
        Await.result(consumer.subscribe(topic), WAIT);

        RecordMetadata sent = Await.result(producer.send(
            KafkaProducerRecord.create(topic, "gw-1", "snapshot-7").addHeader("trace-id", "abc")), WAIT);
        topics.produce(topic, "gw-2", "from the plain client");

        KafkaConsumerRecord<String, String> first = next(received);
        assertThat(first.offset()).isEqualTo(sent.getOffset());
        assertThat(first.key()).isEqualTo("gw-1");
        assertThat(first.value()).isEqualTo("snapshot-7");
        assertThat(first.headers()).extracting(KafkaHeader::key, header -> header.value().toString())
            .containsExactly(tuple("trace-id", "abc"));
        assertThat(next(received).value()).isEqualTo("from the plain client");
        assertThat(topics.readToEnd(topic)).extracting(TopicRecord::key, record -> record.header("trace-id"))
            .containsExactly(tuple("gw-1", "abc"), tuple("gw-2", null));
      } finally {
        Await.result(producer.close(), WAIT);
        Await.result(consumer.close(), WAIT);
      }
    }
  }

  @Test
  void privateBrokerRestartsOnTheSameAddressWithItsDataAndAConsumerResumes() throws Exception {
    try (KafkaBroker broker = KafkaBroker.startPrivate(); KafkaTopics topics = KafkaTopics.on(broker)) {
      String address = broker.bootstrapServers();
      String topic = KafkaTopics.uniqueName("outage");
      topics.create(topic, 1);
      topics.produce(topic, "k", "before");
      BlockingQueue<KafkaConsumerRecord<String, String>> received = new LinkedBlockingQueue<>();
      KafkaConsumer<String, String> consumer = vertxConsumer(broker, received);
      try {
        Await.result(consumer.subscribe(topic), WAIT);
        assertThat(next(received).value()).isEqualTo("before");
        Await.result(consumer.commit(), WAIT);

        broker.stop();
        assertThat(broker.isRunning()).isFalse();
        assertThat(accepts(address)).as("port of a stopped broker").isFalse();

        broker.restart();
        assertThat(broker.isRunning()).isTrue();
        assertThat(broker.bootstrapServers()).isEqualTo(address);
        topics.produce(topic, "k", "after");

        assertThat(next(received).value()).isEqualTo("after");
        assertThat(topics.readToEnd(topic)).extracting(TopicRecord::value).containsExactly("before", "after");
      } finally {
        Await.result(consumer.close(), WAIT);
      }
    }
  }

  @Test
  void theSharedBrokerCannotBeStoppedByATest() {
    KafkaBroker shared = KafkaBroker.shared();

    assertThatThrownBy(shared::stop).isInstanceOf(UnsupportedOperationException.class)
        .hasMessageContaining("startPrivate()");
    assertThatThrownBy(shared::restart).isInstanceOf(UnsupportedOperationException.class);
    shared.close();
    assertThat(shared.isRunning()).isTrue();
    assertThat(KafkaBroker.shared()).isSameAs(shared);
  }

  private KafkaConsumer<String, String> vertxConsumer(KafkaBroker broker,
      BlockingQueue<KafkaConsumerRecord<String, String>> received) {
    KafkaConsumer<String, String> consumer = KafkaConsumer.create(vertx, Map.of(
        "bootstrap.servers", broker.bootstrapServers(),
        "group.id", KafkaTopics.uniqueName("group"),
        "auto.offset.reset", "earliest",
        "enable.auto.commit", "false",
        "key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
        "value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer"));
    consumer.handler(received::add);
    return consumer;
  }

  private static KafkaConsumerRecord<String, String> next(BlockingQueue<KafkaConsumerRecord<String, String>> queue)
      throws InterruptedException {
    KafkaConsumerRecord<String, String> record = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(record).as("a record within %s", WAIT).isNotNull();
    return record;
  }

  private static boolean accepts(String hostAndPort) {
    int colon = hostAndPort.lastIndexOf(':');
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(hostAndPort.substring(0, colon),
          Integer.parseInt(hostAndPort.substring(colon + 1))), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
