package io.tollgate.sync;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where this node's config stands with the control plane: written by the config sync and the outbox relay, read by
 * status pages and metrics from any thread.
 */
public final class ControlPlaneState {

  /** Where the served managed config came from. */
  public enum Source {
    /** Nothing yet: no last-known-good file, Postgres not reached. */
    NONE,
    /** The last-known-good file; Postgres and Kafka have not been reached since start. */
    LAST_KNOWN_GOOD,
    /** Postgres and the config topic. */
    CONTROL_PLANE
  }

  private volatile Source source = Source.NONE;
  private volatile long appliedVersion = -1;
  private volatile Instant appliedAt;
  private volatile long storeVersion = -1;
  private volatile String lastError;
  private volatile boolean followingTopic;
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong resyncs = new AtomicLong();
  private volatile boolean relayLeader;
  private volatile long relayedVersion = -1;
  private volatile long relayPending;
  private volatile String relayError;

  public void applied(Source from, long version) {
    source = from;
    appliedVersion = version;
    appliedAt = Instant.now();
  }

  public void storeVersion(long version) {
    storeVersion = version;
  }

  /** The node reads the config topic (its consumer is positioned); before that, only Postgres re-syncs apply. */
  public void followingTopic(boolean following) {
    followingTopic = following;
  }

  public void error(String error) {
    lastError = error;
  }

  public void rejected() {
    rejected.incrementAndGet();
  }

  public void resynced() {
    resyncs.incrementAndGet();
  }

  public void relay(boolean leader, long relayed, long pending, String error) {
    relayLeader = leader;
    relayedVersion = relayed;
    relayPending = pending;
    relayError = error;
  }

  public Source source() {
    return source;
  }

  public long appliedVersion() {
    return appliedVersion;
  }

  /** Seconds since the served managed config was applied; -1 before the first. */
  public double appliedAgeSeconds() {
    Instant at = appliedAt;
    return at == null ? -1 : (System.currentTimeMillis() - at.toEpochMilli()) / 1000.0;
  }

  public long rejectedChanges() {
    return rejected.get();
  }

  public long resyncs() {
    return resyncs.get();
  }

  public long relayPending() {
    return relayPending;
  }

  public boolean relayLeader() {
    return relayLeader;
  }

  /** For {@code /api/gateway/status} and the management {@code /status}. */
  public JsonObject toJson() {
    Instant at = appliedAt;
    return new JsonObject()
        .put("source", source.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
        .put("appliedVersion", appliedVersion < 0 ? null : appliedVersion)
        .put("appliedAt", at == null ? null : at.toString())
        .put("storeVersion", storeVersion < 0 ? null : storeVersion)
        .put("followingTopic", followingTopic)
        .put("rejectedChanges", rejected.get())
        .put("resyncs", resyncs.get())
        .put("lastError", lastError)
        .put("relay", new JsonObject().put("leader", relayLeader)
            .put("relayedVersion", relayedVersion < 0 ? null : relayedVersion)
            .put("pending", relayPending).put("lastError", relayError));
  }
}
