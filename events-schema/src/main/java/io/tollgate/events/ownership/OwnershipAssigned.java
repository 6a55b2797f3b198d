package io.tollgate.events.ownership;

import java.time.Instant;

/**
 * Fact: {@code ownerId} owns {@code resourceType:resourceId} as of {@code version}. Published by the service that
 * owns the resource (e.g. the monitor service) on {@link io.tollgate.events.Topics#OWNERSHIP}; schema
 * {@code schemas/ownership/OwnershipAssigned.v1.schema.json}.
 *
 * @param resourceType e.g. {@code monitor}; {@code ^[a-z][a-z0-9_-]*$}
 * @param resourceId   e.g. {@code 101}; no {@code :}
 * @param ownerId      the owner's subject (matched against the JWT {@code sub} by default)
 * @param tenantId     the owner's tenant, or null
 * @param version      per-key version, ≥ 1
 * @param occurredAt   when the ownership changed at the producer
 * @param producer     the publishing service, for audit
 * @throws InvalidFieldException (an {@link IllegalArgumentException}) when a member breaks the schema
 */
public record OwnershipAssigned(
    String resourceType, String resourceId, String ownerId, String tenantId, long version, Instant occurredAt,
    String producer) implements OwnershipEvent {

  /** The {@code type} member identifying this event in JSON. */
  public static final String TYPE = "OwnershipAssigned.v1";

  public OwnershipAssigned {
    Fields.common(resourceType, resourceId, version, occurredAt, producer);
    Fields.text("ownerId", ownerId);
    Fields.optionalText("tenantId", tenantId);
  }

  @Override
  public String type() {
    return TYPE;
  }
}
