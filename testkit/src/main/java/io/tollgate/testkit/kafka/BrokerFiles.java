package io.tollgate.testkit.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import io.tollgate.testkit.net.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.Uuid;

/**
 * The files of one test broker, all under one directory: {@code server.properties} (single-node KRaft, combined
 * broker and controller), {@code log4j2.properties} and {@code data/} (the log directory), and the cluster id
 * it is formatted with. Written once; a restart reuses them, so the broker comes back on the same ports with
 * its data.
 */
record BrokerFiles(Path directory, int port, int controllerPort, String clusterId) {

  /** Fresh files on free ports under {@code directory}, with a new cluster id. */
  static BrokerFiles create(Path directory) {
    int port = FreePorts.next();
    int controllerPort = FreePorts.next();
    while (controllerPort == port) {
      controllerPort = FreePorts.next();
    }
    // What `kafka-storage.sh random-uuid` prints.
    return new BrokerFiles(directory, port, controllerPort, Uuid.randomUuid().toString()).write();
  }

  Path serverProperties() {
    return directory.resolve("server.properties");
  }

  Path logConfig() {
    return directory.resolve("log4j2.properties");
  }

  Path dataDirectory() {
    return directory.resolve("data");
  }

  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  private BrokerFiles write() {
    try {
      Files.createDirectories(dataDirectory());
      Files.writeString(serverProperties(), lines(serverConfig()), StandardCharsets.UTF_8);
      Files.writeString(logConfig(), lines(logConfigEntries()), StandardCharsets.UTF_8);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the broker's configuration under " + directory, e);
    }
  }

  /** The broker's configuration; see the comments for every value that differs from Kafka's default. */
  Map<String, String> serverConfig() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("process.roles", "broker,controller");
    config.put("node.id", "1");
    config.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    config.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    config.put("advertised.listeners", "PLAINTEXT://" + bootstrapServers());
    config.put("controller.listener.names", "CONTROLLER");
    config.put("inter.broker.listener.name", "PLAINTEXT");
    config.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    config.put("log.dirs", dataDirectory().toAbsolutePath().toString());
    // One node: every internal topic needs replication factor and min.isr 1, or consumer groups and
    // transactions time out waiting for replicas that never come.
    config.put("offsets.topic.replication.factor", "1");
    config.put("transaction.state.log.replication.factor", "1");
    config.put("transaction.state.log.min.isr", "1");
    config.put("share.coordinator.state.topic.replication.factor", "1");
    config.put("share.coordinator.state.topic.min.isr", "1");
    // Fewer internal partitions than the defaults (50): they are created when the first group or producer
    // needs them, and on 2 cores creating 50 logs costs seconds.
    config.put("offsets.topic.num.partitions", "1");
    config.put("transaction.state.log.num.partitions", "1");
    config.put("share.coordinator.state.topic.num.partitions", "1");
    // A consumer group's first join completes at once instead of after 3 s.
    config.put("group.initial.rebalance.delay.ms", "0");
    // Tests create their topics (KafkaTopics), as production clusters usually require; a typo in a topic name
    // then fails a test instead of creating a new topic.
    config.put("auto.create.topics.enable", "false");
    return config;
  }

  private static Map<String, String> logConfigEntries() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("status", "warn");
    // The JVM's own hook would race Kafka's; the test JVM keeps the output anyway.
    config.put("shutdownHook", "disable");
    config.put("appender.out.type", "Console");
    config.put("appender.out.name", "out");
    config.put("appender.out.layout.type", "PatternLayout");
    config.put("appender.out.layout.pattern", "%d{HH:mm:ss.SSS} %-5p [%c{1}] %m%n");
    config.put("rootLogger.level", "warn");
    config.put("rootLogger.appenderRef.out.ref", "out");
    config.put("logger.server.name", "kafka.server.KafkaRaftServer");
    config.put("logger.server.level", "info");
    return config;
  }

  private static String lines(Map<String, String> entries) {
    return entries.entrySet().stream()
        .map(entry -> entry.getKey() + "=" + entry.getValue())
        .collect(Collectors.joining("\n", "", "\n"));
  }
}
