package io.tollgate.ownership;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;

/**
 * The node's ownership replica and how fresh it is. One per gateway node: written by the sync thread of
 * {@link OwnershipSyncVerticle} (the replica's single writer), read by every ingress event loop and status page.
 * Fields are volatile: readers see the latest facts without locking.
 */
public final class OwnershipState {

  private final OwnershipReplica replica = new OwnershipReplica();
  private volatile boolean configured;
  private volatile Instant caughtUpAt;
  private volatile long caughtUpNanos = -1;
  private volatile long lastConfirmedNanos = -1;
  private volatile long lag = -1;
  private volatile String lastError;
  private volatile long malformed;
  private final long createdNanos = System.nanoTime();

  public OwnershipReplica replica() {
    return replica;
  }

  /** True once the replica has read up to the end offsets seen when it started; never false again. */
  public boolean caughtUp() {
    return caughtUpNanos >= 0;
  }

  /** True when an ownership source is configured (the sync verticle started). */
  public boolean isConfigured() {
    return configured;
  }

  /** Records between the replica and the end of the topic at the last confirmation; -1 before the first. */
  public long lag() {
    return lag;
  }

  void configured() {
    configured = true;
  }

  void markCaughtUp() {
    if (caughtUpNanos < 0) {
      caughtUpAt = Instant.now();
      caughtUpNanos = System.nanoTime();
    }
  }

  /** The broker answered (end offsets); {@code lag} = records between the replica and the end of the topic. */
  void confirmed(long lagRecords) {
    lastConfirmedNanos = System.nanoTime();
    lag = lagRecords;
    lastError = null;
  }

  void failed(String error) {
    lastError = error;
  }

  void malformed() {
    malformed++; // single writer
  }

  /** Time since the broker last confirmed where the topic ends; null before it ever did. */
  public Duration staleness() {
    long last = lastConfirmedNanos;
    return last < 0 ? null : Duration.ofNanos(System.nanoTime() - last);
  }

  /**
   * {@code {caughtUp, caughtUpAt, catchUpMs, records, lag, stalenessSeconds, malformed, lastError}}, or null when
   * no ownership source is configured.
   */
  public JsonObject status() {
    if (!configured) {
      return null;
    }
    Duration staleness = staleness();
    long caught = caughtUpNanos;
    return new JsonObject()
        .put("caughtUp", caughtUp())
        .put("caughtUpAt", caughtUpAt == null ? null : caughtUpAt.toString())
        .put("catchUpMs", caught < 0 ? null : (caught - createdNanos) / 1_000_000)
        .put("records", replica.size())
        .put("lag", lag < 0 ? null : lag)
        .put("stalenessSeconds", staleness == null ? null : staleness.toMillis() / 1000.0)
        .put("malformed", malformed)
        .put("lastError", lastError);
  }
}
