package io.tollgate.events.ownership;

import java.time.Instant;

/**
 * The value rules of the ownership schemas ({@code schemas/ownership/*.schema.json}), checked once, by the
 * records' constructors; the schemas' {@code pattern}, {@code minLength}/{@code maxLength} and {@code minimum}
 * say the same (OwnershipCodecTest checks that both refuse the same values).
 */
final class Fields {

  /** {@code maxLength} of {@code resourceType} (code points). */
  static final int MAX_TYPE_LENGTH = 64;
  /** {@code maxLength} of the other string members (code points): bounds a gateway's replica per key. */
  static final int MAX_LENGTH = 256;
  /** RFC 3339 has four-digit years; {@link Instant#toString()} writes a sign beyond them. */
  private static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private Fields() {
  }

  /** Checks the members every ownership event has, in schema order. */
  static void common(String resourceType, String resourceId, long version, Instant occurredAt, String producer) {
    resourceType(resourceType);
    resourceId(resourceId);
    version(version);
    occurredAt(occurredAt);
    text("producer", producer);
  }

  /** {@code ^[a-z][a-z0-9_-]*$}, at most {@value #MAX_TYPE_LENGTH}: e.g. {@code monitor}. */
  static String resourceType(String value) {
    required("resourceType", value);
    if (value.length() > MAX_TYPE_LENGTH) {
      throw new InvalidFieldException("resourceType", "longer than " + MAX_TYPE_LENGTH + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean allowed = c >= 'a' && c <= 'z' || i > 0 && (c >= '0' && c <= '9' || c == '_' || c == '-');
      if (!allowed) {
        throw new InvalidFieldException("resourceType",
            "must match ^[a-z][a-z0-9_-]*$ (lower-case, no ':'), was \"" + value + "\"");
      }
    }
    return value;
  }

  /** Non-empty, no {@code :} (the key {@code <resourceType>:<resourceId>} must split one way only). */
  static String resourceId(String value) {
    text("resourceId", value);
    if (value.indexOf(':') >= 0) {
      throw new InvalidFieldException("resourceId", "must not contain ':', was \"" + value + "\"");
    }
    return value;
  }

  /** Non-empty, at most {@value #MAX_LENGTH} code points. */
  static String text(String field, String value) {
    required(field, value);
    if (value.isEmpty()) {
      throw new InvalidFieldException(field, "must not be empty");
    }
    if (value.length() > MAX_LENGTH && value.codePointCount(0, value.length()) > MAX_LENGTH) {
      throw new InvalidFieldException(field, "longer than " + MAX_LENGTH + " characters");
    }
    return value;
  }

  /** Null, or as {@link #text(String, String)}. */
  static String optionalText(String field, String value) {
    return value == null ? null : text(field, value);
  }

  /** At least 1. */
  static long version(long value) {
    if (value < 1) {
      throw new InvalidFieldException("version", "must be >= 1, was " + value);
    }
    return value;
  }

  /** Within years 0000–9999 (RFC 3339). */
  static Instant occurredAt(Instant value) {
    required("occurredAt", value);
    if (value.isBefore(EARLIEST) || value.isAfter(LATEST)) {
      throw new InvalidFieldException("occurredAt", "outside the years 0000-9999: " + value);
    }
    return value;
  }

  private static void required(String field, Object value) {
    if (value == null) {
      throw new InvalidFieldException(field, "is required");
    }
  }
}
