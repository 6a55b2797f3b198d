package io.tollgate.events.ownership;

import java.time.Instant;
import java.util.Objects;

/**
 * Fact: {@code ownerId} owns {@code resourceType:resourceId} as of {@code version}. Published by the service that
 * owns the resource (e.g. the monitor service) on {@link io.tollgate.events.Topics#OWNERSHIP}.
 *
 * <p>{@code version} increases per key; consumers ignore an event whose version is not newer than what they hold,
 * which makes duplicates, replays and reordering harmless.
 *
 * @param resourceType e.g. {@code monitor}; lower-case, no {@code :}
 * @param resourceId   e.g. {@code 101}; no {@code :}
 * @param ownerId      the owner's subject (matched against the JWT {@code sub} by default)
 * @param tenantId     the owner's tenant, or null
 * @param version      per-key version, ≥ 1
 * @param occurredAt   when the ownership changed at the producer
 * @param producer     the publishing service, for audit
 */
public record OwnershipAssigned(
    String resourceType, String resourceId, String ownerId, String tenantId, long version, Instant occurredAt,
    String producer) {

  /** The {@code type} member identifying this event in JSON. */
  public static final String TYPE = "OwnershipAssigned.v1";

  public OwnershipAssigned {
    Objects.requireNonNull(resourceType, "resourceType");
    Objects.requireNonNull(resourceId, "resourceId");
    Objects.requireNonNull(ownerId, "ownerId");
    Objects.requireNonNull(occurredAt, "occurredAt");
    Objects.requireNonNull(producer, "producer");
    if (resourceType.indexOf(':') >= 0 || resourceId.indexOf(':') >= 0) {
      throw new IllegalArgumentException("resourceType and resourceId must not contain ':'");
    }
    if (version < 1) {
      throw new IllegalArgumentException("version must be >= 1");
    }
  }

  /** The Kafka record key: {@code <resourceType>:<resourceId>} (compaction keeps the latest per resource). */
  public String key() {
    return resourceType + ':' + resourceId;
  }

  /** The event as a JSON document (UTF-8 when encoded). */
  public String toJson() {
    StringBuilder sb = new StringBuilder(192).append('{');
    Json.member(sb, "type", TYPE).append(',');
    Json.member(sb, "resourceType", resourceType).append(',');
    Json.member(sb, "resourceId", resourceId).append(',');
    Json.member(sb, "ownerId", ownerId).append(',');
    Json.member(sb, "tenantId", tenantId).append(',');
    sb.append("\"version\":").append(version).append(',');
    Json.member(sb, "occurredAt", occurredAt.toString()).append(',');
    Json.member(sb, "producer", producer);
    return sb.append('}').toString();
  }
}
