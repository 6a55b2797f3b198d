package io.tollgate.store;

import io.tollgate.config.ConfigError;
import io.tollgate.config.ConfigException;
import io.tollgate.config.ControlPlaneConfig.PostgresConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The config of record in Postgres: entities, the global version, the audit log and the outbox.
 *
 * <p>{@link #write} is the only way to change it: in one transaction it locks the version row (so writes are
 * serialised and versions commit in order), checks the expected version, applies the edit to the current
 * entities, validates the whole result, and — only if valid — stores the entities, bumps the version, appends
 * the hash-chained audit entry and the outbox row, and notifies the relay ({@code NOTIFY tollgate_outbox}, delivered
 * on commit). Nothing is written when any step fails.
 *
 * <p>All methods are asynchronous and may be called from any event loop.
 */
public final class PgConfigStore {

  /** The channel {@link #write} notifies on commit. */
  public static final String CHANNEL = "tollgate_outbox";

  private final Vertx vertx;
  private final Pool pool;
  private Future<Integer> migrated;

  private PgConfigStore(Vertx vertx, Pool pool) {
    this.vertx = vertx;
    this.pool = pool;
  }

  /**
   * Completes once the schema is up to date (migrated once per store; a failed attempt is retried by the next
   * call). Every other method waits for it, so nothing touches a table before it exists.
   */
  public synchronized Future<Integer> ready() {
    if (migrated == null || migrated.failed()) {
      migrated = Migrations.apply(pool);
    }
    return migrated;
  }

  /** Connect options from the config ({@code postgresql://user@host:port/db} plus the password). */
  public static PgConnectOptions connectOptions(PostgresConfig config) {
    PgConnectOptions options = PgConnectOptions.fromUri(config.url());
    if (config.password() != null) {
      options.setPassword(config.password());
    }
    return options.setReconnectAttempts(0);
  }

  /** A store over a new pool; the schema is migrated on first use ({@link #ready}). */
  public static PgConfigStore create(Vertx vertx, PostgresConfig config) {
    Pool pool = PgBuilder.pool().with(new PoolOptions().setMaxSize(config.poolSize()).setMaxWaitQueueSize(256)
        .setConnectionTimeout(5).setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS))
        .connectingTo(connectOptions(config)).using(vertx).build();
    return new PgConfigStore(vertx, pool);
  }


  public Future<Void> close() {
    return pool.close();
  }

  /** The current version alone (the nodes' periodic drift check). */
  public Future<Long> version() {
    return ready().compose(v -> pool.query("SELECT version FROM tollgate_config_version WHERE id = 1").execute())
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** Everything at one consistent version (a repeatable-read transaction). */
  public Future<ManagedEntities> read() {
    return ready().compose(m -> pool.withTransaction(conn -> conn.query(
        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute().compose(v -> readIn(conn, false))));
  }

  private static Future<ManagedEntities> readIn(SqlConnection conn, boolean lock) {
    String versionQuery = "SELECT version FROM tollgate_config_version WHERE id = 1" + (lock ? " FOR UPDATE" : "");
    return conn.query(versionQuery).execute().compose(versionRows -> {
      long version = versionRows.iterator().next().getLong(0);
      return conn.query("SELECT kind, id, document FROM tollgate_config_entity ORDER BY kind, position").execute()
          .map(rows -> {
            Map<EntityKind, Map<String, JsonObject>> entities = new EnumMap<>(EntityKind.class);
            for (Row row : rows) {
              EntityKind kind = EntityKind.of(row.getString("kind"));
              if (kind != null) {
                entities.computeIfAbsent(kind, k -> new LinkedHashMap<>())
                    .put(row.getString("id"), (JsonObject) row.getValue("document"));
              }
            }
            return new ManagedEntities(version, entities);
          });
    });
  }

  /**
   * The outcome of an edit: the changes to make, or the reason not to make any.
   *
   * @param changes the entity changes (empty: nothing to do — the write succeeds without a new version)
   * @param action  what the audit entry calls it, e.g. {@code create route orders}
   */
  public record Edit(List<EntityChange> changes, String action) {
  }

  /** A committed write: the new version (unchanged when the edit was empty) and the entities at it. */
  public record Written(long version, ManagedEntities entities, boolean changed) {
  }

  /**
   * Applies an edit as one transaction.
   *
   * @param actor           who (the audit log's {@code actor})
   * @param expectedVersion the version the caller saw ({@code If-Match}); null to write on top of any version
   * @param edit            computes the changes from the current entities; may fail the future with an
   *                        {@link EditException} (404, 409…) to abort without writing
   * @param validate        checks the entities after the edit (runs off the event loop); errors abort
   * @return fails with {@link VersionMismatchException}, {@link EditException} or {@link ConfigException}
   */
  public Future<Written> write(String actor, Long expectedVersion, Function<ManagedEntities, Edit> edit,
      Function<ManagedEntities, Future<List<ConfigError>>> validate) {
    return ready().compose(m -> pool.withTransaction(conn -> readIn(conn, true).compose(current -> {
      if (expectedVersion != null && expectedVersion != current.version()) {
        return Future.failedFuture(new VersionMismatchException(expectedVersion, current.version()));
      }
      Edit changes;
      try {
        changes = edit.apply(current);
      } catch (EditException e) {
        return Future.failedFuture(e);
      }
      if (changes.changes().isEmpty()) {
        return Future.succeededFuture(new Written(current.version(), current, false));
      }
      long next = current.version() + 1;
      ManagedEntities after = current.apply(next, changes.changes());
      return validate.apply(after).compose(errors -> errors.isEmpty()
          ? commit(conn, actor, current, after, changes).map(v -> new Written(next, after, true))
          : Future.failedFuture(new ConfigException(errors)));
    })));
  }

  private static Future<Void> commit(SqlConnection conn, String actor, ManagedEntities before, ManagedEntities after,
      Edit edit) {
    long version = after.version();
    Instant now = Instant.now();
    ConfigChanged event = new ConfigChanged(version, now, actor, edit.changes());
    List<Tuple> upserts = new ArrayList<>();
    List<Tuple> deletes = new ArrayList<>();
    JsonArray audited = new JsonArray();
    for (EntityChange change : edit.changes()) {
      JsonObject old = before.get(change.kind(), change.id());
      audited.add(new JsonObject().put("kind", change.kind().wireName()).put("id", change.id())
          .put("before", old).put("after", change.document()));
      if (change.isDelete()) {
        deletes.add(Tuple.of(change.kind().wireName(), change.id()));
      } else {
        upserts.add(Tuple.of(change.kind().wireName(), change.id(), change.document(), version));
      }
    }
    String entry = new JsonObject().put("at", now.toString()).put("actor", actor).put("action", edit.action())
        .put("version", version).put("changes", audited).encode();
    Future<?> writes = Future.succeededFuture();
    if (!deletes.isEmpty()) {
      writes = writes.compose(v -> conn.preparedQuery("DELETE FROM tollgate_config_entity WHERE kind = $1 AND id = $2")
          .executeBatch(deletes));
    }
    if (!upserts.isEmpty()) {
      writes = writes.compose(v -> conn.preparedQuery("INSERT INTO tollgate_config_entity (kind, id, document, version)"
          + " VALUES ($1, $2, $3, $4) ON CONFLICT (kind, id) DO UPDATE SET document = EXCLUDED.document,"
          + " version = EXCLUDED.version").executeBatch(upserts));
    }
    return writes
        .compose(v -> conn.query("SELECT hash FROM tollgate_audit ORDER BY seq DESC LIMIT 1").execute())
        .compose(rows -> {
          String prev = rows.size() == 0 ? AuditChain.GENESIS : rows.iterator().next().getString(0);
          String hash = AuditChain.hash(prev, entry);
          return conn.preparedQuery("INSERT INTO tollgate_audit (entry, prev_hash, hash) VALUES ($1, $2, $3)")
              .execute(Tuple.of(entry, prev, hash))
              .compose(r -> conn.preparedQuery("UPDATE tollgate_config_version SET version = $1, changed_at = now(),"
                  + " audit_hash = $2 WHERE id = 1").execute(Tuple.of(version, hash)));
        })
        .compose(r -> conn.preparedQuery("INSERT INTO tollgate_outbox (version, payload) VALUES ($1, $2)")
            .execute(Tuple.of(version, event.encode())))
        .compose(r -> conn.query("NOTIFY " + CHANNEL).execute())
        .mapEmpty();
  }

  /** Audit entries after {@code afterSeq}, oldest first, at most {@code limit}. */
  public Future<List<AuditChain.Row>> audit(long afterSeq, int limit) {
    return ready().compose(m -> pool.preparedQuery("SELECT seq, entry, prev_hash, hash FROM tollgate_audit"
        + " WHERE seq > $1 ORDER BY seq LIMIT $2").execute(Tuple.of(afterSeq, limit)).map(PgConfigStore::rows));
  }

  /**
   * Verifies the whole audit chain: null when intact, else the first break found. Reads only (no migration), and
   * hashes off the event loop.
   */
  public Future<String> verifyAudit() {
    return pool.withTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute()
        .compose(v -> conn.query("SELECT audit_hash FROM tollgate_config_version WHERE id = 1").execute())
        .compose(tip -> conn.query("SELECT seq, entry, prev_hash, hash FROM tollgate_audit ORDER BY seq").execute()
            .compose(rows -> {
              List<AuditChain.Row> chain = rows(rows);
              String tipHash = tip.iterator().next().getString(0);
              return vertx.executeBlocking(() -> AuditChain.verify(chain, tipHash), false);
            })));
  }

  private static List<AuditChain.Row> rows(io.vertx.sqlclient.RowSet<Row> rows) {
    List<AuditChain.Row> list = new ArrayList<>();
    for (Row row : rows) {
      list.add(new AuditChain.Row(row.getLong("seq"), row.getString("entry"), row.getString("prev_hash"),
          row.getString("hash")));
    }
    return list;
  }

  /** The pool, for the outbox relay's reads and marks. */
  Pool pool() {
    return pool;
  }
}
