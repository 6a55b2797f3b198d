package io.tollgate.events.ownership;

import java.time.Instant;

/**
 * Fact: nobody owns {@code resourceType:resourceId} any more as of {@code version}. Kept on the compacted topic as
 * a versioned marker, so that a late {@link OwnershipAssigned} with a lower version cannot resurrect the owner;
 * only a tombstone, long after, removes the key (docs/events.md). Schema
 * {@code schemas/ownership/OwnershipRevoked.v1.schema.json}.
 *
 * @param resourceType e.g. {@code monitor}; {@code ^[a-z][a-z0-9_-]*$}
 * @param resourceId   e.g. {@code 101}; no {@code :}
 * @param ownerId      the owner whose ownership ended, for audit, or null
 * @param version      per-key version, ≥ 1; higher than the assignment it revokes
 * @param occurredAt   when the ownership ended at the producer
 * @param producer     the publishing service, for audit
 * @throws InvalidFieldException (an {@link IllegalArgumentException}) when a member breaks the schema
 */
public record OwnershipRevoked(
    String resourceType, String resourceId, String ownerId, long version, Instant occurredAt, String producer)
    implements OwnershipEvent {

  /** The {@code type} member identifying this event in JSON. */
  public static final String TYPE = "OwnershipRevoked.v1";

  public OwnershipRevoked {
    Fields.common(resourceType, resourceId, version, occurredAt, producer);
    Fields.optionalText("ownerId", ownerId);
  }

  @Override
  public String type() {
    return TYPE;
  }
}
