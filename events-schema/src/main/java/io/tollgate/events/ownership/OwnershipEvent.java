package io.tollgate.events.ownership;

import java.time.Instant;

/**
 * A record value on {@link io.tollgate.events.Topics#OWNERSHIP}: who owns a resource ({@link OwnershipAssigned}) or
 * that nobody does any more ({@link OwnershipRevoked}). A tombstone (null value) is not an event: it only
 * garbage-collects a key whose last event was a revocation (docs/events.md).
 *
 * <p>Every event carries a per-key {@link #version()}; a consumer keeps, per key, the event with the highest
 * version and ignores any other, so duplicates, replays and reordering are harmless and a late, older
 * {@code OwnershipAssigned} cannot resurrect a revoked owner. Encode and decode with {@link OwnershipCodec}.
 */
public sealed interface OwnershipEvent permits OwnershipAssigned, OwnershipRevoked {

  /** The JSON {@code type} member, e.g. {@code OwnershipAssigned.v1}; also the schema's id (see docs/events.md). */
  String type();

  /** e.g. {@code monitor}: {@code ^[a-z][a-z0-9_-]*$}, at most 64 characters. */
  String resourceType();

  /** e.g. {@code 101}: non-empty, no {@code :}, at most 256 characters. */
  String resourceId();

  /** Per-key version, ≥ 1; higher wins. */
  long version();

  /** When the change happened at the producer (informational: ordering is by {@link #version()}). */
  Instant occurredAt();

  /** The publishing service, for audit. */
  String producer();

  /** The Kafka record key: {@code <resourceType>:<resourceId>} (compaction keeps the latest per resource). */
  default String key() {
    return resourceType() + ':' + resourceId();
  }

  /** The event as a JSON document; {@link OwnershipCodec#encode} gives its UTF-8 bytes. */
  default String toJson() {
    return EventWriter.toJson(this);
  }
}
