package io.tollgate.events.ownership;

/**
 * Writes ownership events as JSON, members in schema order, optional members left out when null (readers accept
 * absent and null alike). Needs no JSON library, so producers can use the records alone.
 */
final class EventWriter {

  private EventWriter() {
  }

  static String toJson(OwnershipEvent event) {
    StringBuilder sb = new StringBuilder(224).append('{');
    Json.member(sb, "type", event.type()).append(',');
    Json.member(sb, "resourceType", event.resourceType()).append(',');
    Json.member(sb, "resourceId", event.resourceId()).append(',');
    if (event instanceof OwnershipAssigned assigned) {
      Json.member(sb, "ownerId", assigned.ownerId()).append(',');
      optional(sb, "tenantId", assigned.tenantId());
    } else if (event instanceof OwnershipRevoked revoked) {
      optional(sb, "ownerId", revoked.ownerId());
    }
    sb.append("\"version\":").append(event.version()).append(',');
    Json.member(sb, "occurredAt", event.occurredAt().toString()).append(',');
    Json.member(sb, "producer", event.producer());
    return sb.append('}').toString();
  }

  private static void optional(StringBuilder sb, String name, String value) {
    if (value != null) {
      Json.member(sb, name, value).append(',');
    }
  }
}
