package io.tollgate.sync;

import io.tollgate.config.ControlPlaneConfig;
import io.tollgate.store.ConfigChanged;
import io.tollgate.store.ConfigTopic;
import io.tollgate.store.ManagedEntities;
import io.tollgate.store.PgConfigStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the config of record: the config topic for each change as it happens, Postgres for a full re-sync.
 * Runs on the config sync verticle's event loop; hands every new {@link ManagedEntities} to {@code onEntities} in
 * version order.
 *
 * <p>Ordering rule: a record with version N+1 is applied on top of N; a version not above N is a duplicate and is
 * skipped; anything else — a gap, or a record that cannot be decoded — triggers a re-sync: the whole config is read
 * from Postgres in one transaction while records that arrive meanwhile are held, then the held records are
 * processed by the same rule. The consumer is positioned at the topic's end <em>before</em> the first read from
 * Postgres, so every change committed after that read is seen on the topic. Every {@code pollInterval} the version in
 * Postgres is compared with ours, the safety net for a period when the topic could not be read.
 *
 * <p>Every node reads the single partition itself (assigned, no consumer group, nothing committed).
 */
final class ManagedConfigFeed {

  private static final Logger LOG = LoggerFactory.getLogger(ManagedConfigFeed.class);
  private static final long KAFKA_RETRY_MS = 5_000;
  private static final long MAX_BACKOFF_MS = 30_000;

  private final Vertx vertx;
  private final ControlPlaneConfig config;
  private final ControlPlaneState state;
  private final Consumer<ManagedEntities> onEntities;
  private final PgConfigStore store;
  private KafkaConsumer<String, Buffer> consumer;
  private ManagedEntities entities;
  private List<KafkaConsumerRecord<String, Buffer>> held;
  private boolean positioned;
  private boolean triedWithoutTopic;
  /** A re-sync asked for while one ran or while backing off. */
  private String again;
  private boolean retryScheduled;
  private long backoffMs;
  private long notBefore;
  private boolean stopped;
  private long lastLog;

  /** @param from what is served already (the last-known-good file), or {@link ManagedEntities#EMPTY} */
  ManagedConfigFeed(Vertx vertx, ControlPlaneConfig config, ControlPlaneState state, ManagedEntities from,
      Consumer<ManagedEntities> onEntities) {
    this.vertx = vertx;
    this.config = config;
    this.state = state;
    this.entities = from;
    this.onEntities = onEntities;
    this.store = PgConfigStore.create(vertx, config.postgres());
  }

  void start() {
    consumer = KafkaConsumer.create(vertx, consumerConfig());
    consumer.exceptionHandler(e -> warn("config topic: " + e.getMessage()));
    consumer.handler(this::onRecord);
    // The first read from Postgres waits for the topic position (or for the topic to fail once), so that no change
    // can fall between the two.
    position();
    vertx.setPeriodic(config.pollInterval().toMillis(), id -> checkDrift());
  }

  Future<Void> stop() {
    stopped = true;
    return Future.join(consumer == null ? Future.succeededFuture() : consumer.close(), store.close()).mapEmpty();
  }

  private Map<String, String> consumerConfig() {
    return config.kafka().clientProperties(
        Map.of("default.api.timeout.ms", "5000", "request.timeout.ms", "5000"),
        Map.of("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
            "value.deserializer", "io.vertx.kafka.client.serialization.BufferDeserializer",
            "enable.auto.commit", "false", "auto.offset.reset", "latest", "allow.auto.create.topics", "false"));
  }

  /** Assign the partition at its end and resolve the position; then re-sync from Postgres. */
  private void position() {
    if (stopped) {
      return;
    }
    TopicPartition partition = new TopicPartition(config.topic(), 0);
    ConfigTopic.ensure(vertx, config)
        .compose(v -> consumer.assign(partition))
        .compose(v -> consumer.seekToEnd(partition))
        .compose(v -> consumer.position(partition))
        .onComplete(ar -> {
          if (ar.succeeded()) {
            positioned = true;
            state.followingTopic(true);
            LOG.info("following config topic {} from offset {}", config.topic(), ar.result());
            // Everything before this position is in Postgres.
            resync("following the config topic");
          } else {
            warn("config topic " + config.topic() + " not readable yet: " + ar.cause().getMessage());
            if (!positioned && !triedWithoutTopic) {
              // Serve what Postgres has meanwhile; the re-sync after positioning covers the gap.
              triedWithoutTopic = true;
              resync("start, config topic not readable yet");
            }
            vertx.setTimer(KAFKA_RETRY_MS, id -> position());
          }
        });
  }

  private void onRecord(KafkaConsumerRecord<String, Buffer> record) {
    if (held != null) {
      held.add(record);
      return;
    }
    ConfigChanged change;
    try {
      change = ConfigChanged.decode(record.value());
    } catch (IllegalArgumentException e) {
      state.rejected();
      warn("config topic offset " + record.offset() + " skipped: " + e.getMessage());
      resync("undecodable record");
      return;
    }
    if (change.version() <= entities.version()) {
      return; // a duplicate: the relay re-sent it, or the re-sync already had it
    }
    if (change.resync()) {
      resync("version " + change.version() + " was too large for the topic");
      return;
    }
    if (change.version() != entities.version() + 1) {
      resync("gap: version " + change.version() + " after " + entities.version());
      return;
    }
    entities = entities.apply(change.version(), change.changes());
    state.storeVersion(entities.version());
    onEntities.accept(entities);
  }

  /**
   * Reads everything from Postgres; the consumer is paused meanwhile and records already delivered are held, then
   * processed by the usual rule. One re-sync at a time: a request during one runs right after it. A failed read
   * backs off (1 s doubling to 30 s) so a Postgres outage is not hammered.
   */
  private void resync(String why) {
    if (stopped) {
      return;
    }
    if (held != null) {
      again = why;
      return;
    }
    long wait = notBefore - System.currentTimeMillis();
    if (wait > 0) {
      again = why;
      if (!retryScheduled) {
        retryScheduled = true;
        vertx.setTimer(wait, id -> {
          retryScheduled = false;
          String pending = again;
          again = null;
          if (pending != null) {
            resync(pending);
          }
        });
      }
      return;
    }
    held = new ArrayList<>();
    consumer.pause();
    LOG.info("config re-sync from Postgres ({})", why);
    store.read().onComplete(ar -> {
      List<KafkaConsumerRecord<String, Buffer>> records = held;
      held = null;
      if (ar.succeeded()) {
        backoffMs = 0;
        state.resynced();
        state.storeVersion(ar.result().version());
        state.error(null);
        boolean fresh = state.source() != ControlPlaneState.Source.CONTROL_PLANE;
        if (ar.result().version() != entities.version() || fresh) {
          // A store behind this node was restored or reset: it is still the config of record.
          entities = ar.result();
          onEntities.accept(entities);
        }
      } else {
        backoffMs = Math.min(MAX_BACKOFF_MS, Math.max(1_000, backoffMs * 2));
        notBefore = System.currentTimeMillis() + backoffMs;
        state.error("config store unreachable: " + ar.cause().getMessage());
        warn("config re-sync failed: " + ar.cause().getMessage() + "; version " + entities.version()
            + " keeps serving; next attempt in " + backoffMs + " ms");
      }
      records.forEach(this::onRecord);
      consumer.resume();
      if (again != null && held == null) {
        String pending = again;
        again = null;
        resync(pending);
      }
    });
  }

  private void checkDrift() {
    if (held != null || stopped) {
      return;
    }
    store.version().onComplete(ar -> {
      if (ar.failed()) {
        state.error("config store unreachable: " + ar.cause().getMessage());
      } else if (ar.result() != entities.version() || state.source() != ControlPlaneState.Source.CONTROL_PLANE) {
        // Behind (a missed record), or the store went back (restored): either way Postgres is the record.
        resync("store at version " + ar.result() + ", this node at " + entities.version());
      }
    });
  }

  private void warn(String message) {
    long now = System.currentTimeMillis();
    if (now - lastLog > 5_000) {
      lastLog = now;
      LOG.warn("{}", message);
    }
  }
}
