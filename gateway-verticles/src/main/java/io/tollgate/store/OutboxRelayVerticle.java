package io.tollgate.store;

import io.tollgate.config.ControlPlaneConfig;
import io.tollgate.sync.ControlPlaneState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the outbox to the config topic, in version order, on one node at a time.
 *
 * <p>Every node runs one; the one holding the Postgres session advisory lock relays, the others retry the lock every
 * few seconds (the lock goes with the leader's connection, so a dead leader is replaced within that time). The
 * leader listens for {@code NOTIFY tollgate_outbox} (sent by each write on commit) and also checks every
 * {@code relay.interval}. A batch of unsent rows is produced with an idempotent producer ({@code acks=all}) and
 * marked sent only once the broker acknowledged every record: a crash in between re-sends them, which nodes
 * ignore (they apply each version once). While Kafka is down the rows wait; the relay catches up when it returns.
 *
 * <p>The topic is created with one partition when missing; a topic with more partitions is refused (the total
 * order of changes would be lost).
 */
public final class OutboxRelayVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelayVerticle.class);
  /** The relay's advisory lock key. */
  static final long LOCK = 0x746f6c6c_67617402L;
  private static final int BATCH = 100;
  private static final long LOCK_RETRY_MS = 3_000;

  private final ControlPlaneConfig config;
  private final ControlPlaneState state;
  private PgConfigStore store;
  private KafkaProducer<String, String> producer;
  private PgConnection leaderConnection;
  private boolean topicReady;
  private boolean draining;
  private boolean again;
  private long relayed = -1;
  private long lastErrorLog;
  private boolean stopped;

  public OutboxRelayVerticle(ControlPlaneConfig config, ControlPlaneState state) {
    this.config = config;
    this.state = state;
  }

  @Override
  public Future<?> start() {
    producer = KafkaProducer.create(vertx, producerConfig());
    store = PgConfigStore.create(vertx, config.postgres());
    tryLead();
    vertx.setPeriodic(config.relay().interval().toMillis(), id -> drain());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    stopped = true;
    Future<Void> closeConnection = leaderConnection == null ? Future.succeededFuture() : leaderConnection.close();
    return closeConnection.eventually(() -> producer.close()).eventually(() -> store.close());
  }

  Map<String, String> producerConfig() {
    return config.kafka().clientProperties(
        Map.of("delivery.timeout.ms", "30000", "request.timeout.ms", "10000", "max.block.ms", "10000"),
        Map.of("key.serializer", "org.apache.kafka.common.serialization.StringSerializer",
            "value.serializer", "org.apache.kafka.common.serialization.StringSerializer",
            "acks", "all", "enable.idempotence", "true"));
  }

  private void tryLead() {
    if (stopped) {
      return;
    }
    PgConnection.connect(vertx, PgConfigStore.connectOptions(config.postgres())).onComplete(ar -> {
      if (ar.failed()) {
        report(null, "relay cannot reach Postgres: " + ar.cause().getMessage());
        vertx.setTimer(LOCK_RETRY_MS, id -> tryLead());
        return;
      }
      PgConnection conn = ar.result();
      conn.query("SELECT pg_try_advisory_lock(" + LOCK + ")").execute().onComplete(lock -> {
        if (lock.succeeded() && lock.result().iterator().next().getBoolean(0)) {
          lead(conn);
        } else {
          conn.close();
          vertx.setTimer(LOCK_RETRY_MS, id -> tryLead());
        }
      });
    });
  }

  private void lead(PgConnection conn) {
    leaderConnection = conn;
    LOG.info("this node relays the config outbox to {}", config.topic());
    conn.closeHandler(v -> {
      leaderConnection = null;
      report(null, "relay lost its Postgres connection");
      vertx.setTimer(LOCK_RETRY_MS, id -> tryLead());
    });
    conn.notificationHandler(n -> drain());
    conn.query("LISTEN " + PgConfigStore.CHANNEL).execute().onComplete(v -> drain());
  }

  /** One drain at a time; a request while draining runs another pass right after. */
  private void drain() {
    if (leaderConnection == null || stopped) {
      return;
    }
    if (draining) {
      again = true;
      return;
    }
    draining = true;
    again = false;
    PgConnection conn = leaderConnection;
    store.ready()
        // Counted before sending: while Kafka is down the send waits, and the status must show what waits.
        .compose(v -> pending(conn))
        .compose(v -> ensureTopic())
        .compose(v -> conn.preparedQuery("SELECT version, payload FROM tollgate_outbox WHERE sent_at IS NULL"
            + " ORDER BY version LIMIT $1").execute(Tuple.of(BATCH)))
        .compose(rows -> publish(conn, rows))
        .onComplete(ar -> {
          draining = false;
          if (ar.failed()) {
            LOG.debug("relay pass failed", ar.cause());
            report(null, "relay: " + ar.cause());
          } else if (ar.result() == BATCH || again) {
            drain();
          }
        });
  }

  /**
   * Sends a batch in version order and marks the acknowledged prefix sent: a failure in the middle leaves that row
   * and the later ones for the next pass. A change too large for the broker goes out as a {@code resync} marker
   * (same version, no changes): nodes read it from Postgres instead.
   */
  private Future<Integer> publish(PgConnection conn, RowSet<Row> rows) {
    if (rows.size() == 0) {
      return pending(conn).map(0);
    }
    List<Future<?>> sends = new ArrayList<>();
    List<Long> versions = new ArrayList<>();
    for (Row row : rows) {
      long version = row.getLong("version");
      versions.add(version);
      String payload = row.getString("payload");
      sends.add(producer.send(record(payload)).recover(e -> e instanceof RecordTooLargeException
          ? producer.send(record(ConfigChanged.resyncMarker(version, payload))) : Future.failedFuture(e)));
    }
    return Future.join(sends).transform(ignored -> {
      List<Long> acknowledged = new ArrayList<>();
      Throwable failure = null;
      for (int i = 0; i < sends.size() && failure == null; i++) {
        if (sends.get(i).succeeded()) {
          acknowledged.add(versions.get(i));
        } else {
          failure = sends.get(i).cause();
        }
      }
      Throwable cause = failure;
      Future<?> marked = acknowledged.isEmpty() ? Future.succeededFuture()
          : conn.preparedQuery("UPDATE tollgate_outbox SET sent_at = now() WHERE version = ANY($1)")
              .execute(Tuple.of(acknowledged.toArray(new Long[0])));
      return marked.compose(m -> {
        if (!acknowledged.isEmpty()) {
          relayed = acknowledged.get(acknowledged.size() - 1);
          LOG.debug("relayed config versions {}..{}", acknowledged.get(0), relayed);
        }
        return cause == null ? pending(conn).map(rows.size()) : Future.failedFuture(cause);
      });
    });
  }

  private KafkaProducerRecord<String, String> record(String payload) {
    return KafkaProducerRecord.create(config.topic(), ConfigChanged.KEY, payload);
  }

  private Future<Void> pending(PgConnection conn) {
    return conn.query("SELECT count(*) FROM tollgate_outbox WHERE sent_at IS NULL").execute()
        .map(rows -> {
          state.relay(true, relayed, rows.iterator().next().getLong(0), null);
          return null;
        });
  }

  private Future<Void> ensureTopic() {
    return topicReady ? Future.succeededFuture()
        : ConfigTopic.ensure(vertx, config).onSuccess(v -> topicReady = true);
  }

  private void report(Long pending, String error) {
    state.relay(leaderConnection != null, relayed, pending == null ? state.relayPending() : pending, error);
    long now = System.currentTimeMillis();
    if (now - lastErrorLog > 10_000) {
      lastErrorLog = now;
      LOG.warn("{}", error);
    }
  }
}
