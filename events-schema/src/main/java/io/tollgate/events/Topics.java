package io.tollgate.events;

/** Kafka topic names (contracts between upstream services, the Admin API and every gateway node). */
public final class Topics {

  /**
   * Resource ownership, compacted; key {@code <resourceType>:<resourceId>}; values are ownership events
   * ({@code io.tollgate.events.ownership}); a null value (tombstone) garbage-collects a revoked key.
   */
  public static final String OWNERSHIP = "tollgate.ownership.v1";

  /**
   * Config changes, one partition (a total order); key {@code config}; each value is a {@code ConfigChanged}
   * ({@code schemas/config/ConfigChanged.v1.schema.json}) carrying the global config version it produced. Written
   * only by the outbox relay; read from the end by every node.
   */
  public static final String CONFIG = "tollgate.config.v1";

  private Topics() {
  }
}
