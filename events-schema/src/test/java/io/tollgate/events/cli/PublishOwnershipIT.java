package io.tollgate.events.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.events.ownership.OwnershipAssigned;
import io.tollgate.events.ownership.OwnershipCodec;
import io.tollgate.events.ownership.OwnershipEvent;
import io.tollgate.events.ownership.OwnershipRevoked;
import io.tollgate.testkit.kafka.KafkaBroker;
import io.tollgate.testkit.kafka.KafkaTopics;
import io.tollgate.testkit.kafka.TopicRecord;
import io.tollgate.testkit.net.FreePorts;
import io.tollgate.testkit.process.JavaProcess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code publish-ownership} against a real broker: in process, and as operators run it, {@code java -jar}. */
class PublishOwnershipIT {

  /** Set by failsafe (pom.xml): the shaded jar of the package phase. */
  private static final String JAR_PROPERTY = "tollgate.events.jar";

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void publishesAnAssignmentAndPrintsWhereItWasWritten() throws Exception {
    String topic = compactedTopic();

    int status = run("publish-ownership", "--bootstrap", KafkaBroker.shared().bootstrapServers(), "--topic", topic,
        "--resource", "monitor:101", "--owner", "user-7", "--tenant", "acme", "--version", "5");

    assertThat(status).as("exit status; stderr: %s", text(err)).isZero();
    TopicRecord record = single(topic);
    assertThat(text(out)).startsWith("published OwnershipAssigned.v1 key=monitor:101 version=5 topic=" + topic
        + " partition=" + record.partition() + " offset=" + record.offset() + "\n");
    assertThat(record.key()).isEqualTo("monitor:101");
    assertThat(record.header(OwnershipCodec.SCHEMA_HEADER)).isEqualTo("OwnershipAssigned.v1");
    OwnershipAssigned event = (OwnershipAssigned) OwnershipCodec.decode(record.keyBytes(), record.valueBytes());
    assertThat(event).isEqualTo(new OwnershipAssigned("monitor", "101", "user-7", "acme", 5, event.occurredAt(),
        "publish-ownership-cli"));
    assertThat(text(out)).contains(event.toJson());
  }

  @Test
  void revokePublishesAnOwnershipRevokedVersionedByTheClock() throws Exception {
    String topic = compactedTopic();
    long before = System.currentTimeMillis();

    int status = run("publish-ownership", "--bootstrap", KafkaBroker.shared().bootstrapServers(), "--topic", topic,
        "--resource", "monitor:101", "--revoke", "--owner", "user-7", "--producer", "ops");

    assertThat(status).as("exit status; stderr: %s", text(err)).isZero();
    TopicRecord record = single(topic);
    OwnershipEvent event = OwnershipCodec.decode(record.keyBytes(), record.valueBytes());
    assertThat(event).isInstanceOfSatisfying(OwnershipRevoked.class, revoked -> {
      assertThat(revoked.ownerId()).isEqualTo("user-7");
      assertThat(revoked.producer()).isEqualTo("ops");
      assertThat(revoked.version()).isBetween(before, System.currentTimeMillis());
    });
    assertThat(record.header(OwnershipCodec.SCHEMA_HEADER)).isEqualTo("OwnershipRevoked.v1");
  }

  @Test
  void anUnreachableBrokerExitsWithOneAndAClearMessageWithinTheTimeout() {
    String bootstrap = "127.0.0.1:" + FreePorts.next();
    long started = System.nanoTime();

    int status = run("publish-ownership", "--bootstrap", bootstrap, "--resource", "monitor:101", "--owner", "u",
        "--timeout-seconds", "2");

    assertThat(status).isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
    assertThat(text(err)).startsWith("publish-ownership: not published to topic tollgate.ownership.v1 at "
        + bootstrap + " within 2 s: ").contains("Is a Kafka broker reachable at " + bootstrap);
    assertThat(text(out)).isEmpty();
  }

  @Test
  void theExecutableJarPublishesAndRefusesBadArguments() throws Exception {
    Path jar = Path.of(System.getProperty(JAR_PROPERTY, "target/tollgate-events.jar"));
    assertThat(jar).as("the shaded CLI jar (mvn package)").exists();
    String topic = compactedTopic();

    List<String> published = runJar(jar, 0, "publish-ownership", "--bootstrap",
        KafkaBroker.shared().bootstrapServers(), "--topic", topic, "--resource", "snapshot:9f2c", "--owner", "bob");
    List<String> refused = runJar(jar, 2, "publish-ownership", "--bootstrap", "127.0.0.1:9", "--resource", "x");

    TopicRecord record = single(topic);
    assertThat(published.get(0)).startsWith("published OwnershipAssigned.v1 key=snapshot:9f2c version=")
        .endsWith("partition=" + record.partition() + " offset=" + record.offset());
    assertThat(published).as("nothing but the result: kafka-clients' logging is quiet").hasSize(2);
    assertThat(refused.get(0)).isEqualTo("publish-ownership: --resource must be TYPE:ID, e.g. monitor:101, was: x");
  }

  private static List<String> runJar(Path jar, int expectedStatus, String... args) {
    try (JavaProcess cli = JavaProcess.jar(jar, List.of("-Xmx128m"), List.of(args), Map.of()).start()) {
      int status = cli.awaitExit(Duration.ofSeconds(30));
      assertThat(status).as("exit status of %s; output:%n%s", cli.command(), String.join("\n", cli.lines()))
          .isEqualTo(expectedStatus);
      return new ArrayList<>(cli.lines());
    }
  }

  private static String compactedTopic() {
    String topic = KafkaTopics.uniqueName("ownership");
    try (KafkaTopics topics = KafkaTopics.on(KafkaBroker.shared())) {
      topics.createCompacted(topic, 3);
    }
    return topic;
  }

  private static TopicRecord single(String topic) {
    try (KafkaTopics topics = KafkaTopics.on(KafkaBroker.shared())) {
      List<TopicRecord> records = topics.readToEnd(topic);
      assertThat(records).hasSize(1);
      return records.get(0);
    }
  }

  private int run(String... args) {
    return PublishOwnership.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static String text(ByteArrayOutputStream stream) {
    return stream.toString(StandardCharsets.UTF_8);
  }
}
