package io.tollgate.store;

import io.tollgate.config.ControlPlaneConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.admin.KafkaAdminClient;
import io.vertx.kafka.admin.NewTopic;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The config topic exists with exactly one partition (a total order of changes): created when missing
 * (replicated on up to three brokers), refused when it has more partitions. Both the relay (before publishing) and every node
 * (before positioning its consumer) make sure of it, so neither waits for the other.
 */
public final class ConfigTopic {

  private ConfigTopic() {
  }

  public static Future<Void> ensure(Vertx vertx, ControlPlaneConfig config) {
    KafkaAdminClient admin = KafkaAdminClient.create(vertx, config.kafka().clientProperties(
        Map.of("default.api.timeout.ms", "10000", "request.timeout.ms", "5000"), Map.of()));
    String topic = config.topic();
    return admin.listTopics()
        .compose(topics -> topics.contains(topic) ? checkPartitions(admin, topic)
            : admin.describeCluster()
                // Replicated on up to 3 brokers: the topic is small and losing it costs a full re-sync each time.
                .map(cluster -> (short) Math.max(1, Math.min(3, cluster.getNodes().size())))
                .compose(replicas -> admin.createTopics(List.of(new NewTopic(topic, 1, replicas)
                    .setConfig(new HashMap<>()))))
                .recover(e -> e.getMessage() != null && e.getMessage().contains("already exists")
                    ? checkPartitions(admin, topic) : Future.failedFuture(e)))
        .eventually(admin::close);
  }

  private static Future<Void> checkPartitions(KafkaAdminClient admin, String topic) {
    return admin.describeTopics(List.of(topic)).compose(d -> {
      int partitions = d.get(topic).getPartitions().size();
      return partitions == 1 ? Future.succeededFuture() : Future.failedFuture("config topic " + topic + " has "
          + partitions + " partitions; it needs exactly 1 (a total order of changes)");
    });
  }
}
