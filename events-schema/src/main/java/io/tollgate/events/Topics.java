package io.tollgate.events;

/** Kafka topic names (contracts between upstream services, the Admin API and every gateway node). */
public final class Topics {

  /**
   * Resource ownership, compacted; key {@code <resourceType>:<resourceId>}; values are ownership events
   * ({@code io.tollgate.events.ownership}); a null value (tombstone) garbage-collects a revoked key.
   */
  public static final String OWNERSHIP = "tollgate.ownership.v1";

  private Topics() {
  }
}
