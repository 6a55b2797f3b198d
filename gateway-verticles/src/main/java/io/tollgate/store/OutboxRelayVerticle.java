package io.tollgate.store;

import io.tollgate.config.ControlPlaneConfig;
import io.tollgate.sync.ControlPlaneState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
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
    Map<String, String> props = new HashMap<>(config.kafka().properties());
    props.put("bootstrap.servers", config.kafka().bootstrapServers());
    props.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    props.put("value.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    props.put("acks", "all");
    props.put("enable.idempotence", "true");
    props.putIfAbsent("delivery.timeout.ms", "30000");
    props.putIfAbsent("request.timeout.ms", "10000");
    props.putIfAbsent("max.block.ms", "10000");
    return props;
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

  private Future<Integer> publish(PgConnection conn, RowSet<Row> rows) {
    if (rows.size() == 0) {
      return pending(conn).map(0);
    }
    List<Future<?>> sends = new ArrayList<>();
    List<Long> versions = new ArrayList<>();
    for (Row row : rows) {
      versions.add(row.getLong("version"));
      sends.add(producer.send(KafkaProducerRecord.create(config.topic(), ConfigChanged.KEY, row.getString("payload"))));
    }
    return Future.all(sends)
        .compose(sent -> conn.preparedQuery("UPDATE tollgate_outbox SET sent_at = now() WHERE version = ANY($1)")
            .execute(Tuple.of(versions.toArray(new Long[0]))))
        .compose(marked -> {
          relayed = versions.get(versions.size() - 1);
          LOG.debug("relayed config versions {}..{}", versions.get(0), relayed);
          return pending(conn).map(rows.size());
        });
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
