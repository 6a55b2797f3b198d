package io.tollgate.loadtests;

import io.tollgate.events.Topics;
import io.tollgate.events.ownership.OwnershipAssigned;
import io.tollgate.events.publish.OwnershipPublisher;
import io.tollgate.events.publish.PublisherSettings;
import io.tollgate.testkit.kafka.KafkaBroker;
import io.tollgate.testkit.kafka.KafkaTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The harness's Kafka: a private single-node broker from the test kit (a child JVM on 127.0.0.1, data in a
 * temporary directory), the compacted ownership topic, and the ownership facts the load relies on, published with
 * the producer helper as an upstream service would. Writes {@code host:port} to a file once everything is
 * published, then runs until killed; SIGTERM stops the broker and deletes its data (the test kit's shutdown hook).
 *
 * <pre>java -cp tollgate-loadgen.jar io.tollgate.loadtests.BenchKafka BOOTSTRAP_FILE USERS RESOURCES_PER_USER</pre>
 *
 * <p>The facts: {@link #owner(int) user-u} owns {@code monitor:}{@link #monitorId(int, int) u·1000 + i} for
 * {@code i} in 1…RESOURCES_PER_USER — the same scheme {@link BenchIdp} mints tokens for and {@link Scenario}
 * requests.
 */
public final class BenchKafka {

  private BenchKafka() {
  }

  /** The owner id (token subject) of user {@code u}. */
  static String owner(int user) {
    return "user-" + user;
  }

  /** The {@code i}-th monitor (1-based) that user {@code u} owns. */
  static long monitorId(int user, int i) {
    return user * 1000L + i;
  }

  public static void main(String[] args) throws Exception {
    Path bootstrapFile = Path.of(args[0]);
    int users = Integer.parseInt(args[1]);
    int perUser = Integer.parseInt(args[2]);
    KafkaBroker broker = KafkaBroker.startPrivate();
    try (KafkaTopics topics = KafkaTopics.on(broker)) {
      topics.createCompacted(Topics.OWNERSHIP, 3);
    }
    List<CompletableFuture<?>> sent = new ArrayList<>();
    try (OwnershipPublisher publisher = OwnershipPublisher.create(PublisherSettings.of(broker.bootstrapServers()))) {
      for (int u = 0; u < users; u++) {
        for (int i = 1; i <= perUser; i++) {
          sent.add(publisher.publish(new OwnershipAssigned("monitor", Long.toString(monitorId(u, i)), owner(u), null,
              1, Instant.now(), "bench-harness")));
        }
      }
      CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    }
    Path partial = Path.of(bootstrapFile + ".tmp");
    Files.writeString(partial, broker.bootstrapServers());
    Files.move(partial, bootstrapFile);
    System.out.println("Kafka at " + broker.bootstrapServers() + ": " + sent.size() + " ownership facts on "
        + Topics.OWNERSHIP);
    Thread.currentThread().join();
  }
}
