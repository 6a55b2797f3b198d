package io.tollgate.devstack;

import io.tollgate.events.Topics;
import io.tollgate.events.ownership.OwnershipAssigned;
import io.tollgate.events.publish.OwnershipPublisher;
import io.tollgate.events.publish.PublisherSettings;
import io.tollgate.testkit.kafka.KafkaBroker;
import io.tollgate.testkit.kafka.KafkaTopics;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The demo's Kafka side: a real single-node broker (child JVM) and the ownership facts of the demo users, published
 * with the producer helper as the monitor service would publish them.
 */
final class DemoOwnership {

  /** Demo users and the monitor each owns. */
  static final List<OwnershipAssigned> FACTS = List.of(
      new OwnershipAssigned("monitor", "101", "alice", null, 1, Instant.now(), "demo-monitor-service"),
      new OwnershipAssigned("monitor", "202", "bob", null, 1, Instant.now(), "demo-monitor-service"));

  private DemoOwnership() {
  }

  /** Starts the broker, creates the compacted ownership topic and publishes {@link #FACTS}. */
  static KafkaBroker start() {
    KafkaBroker broker = KafkaBroker.shared();
    try (KafkaTopics topics = KafkaTopics.on(broker)) {
      topics.createCompacted(Topics.OWNERSHIP, 3);
    }
    try (OwnershipPublisher publisher = OwnershipPublisher.create(PublisherSettings.of(broker.bootstrapServers()))) {
      CompletableFuture.allOf(FACTS.stream().map(publisher::publish).toArray(CompletableFuture[]::new)).join();
    }
    return broker;
  }
}
