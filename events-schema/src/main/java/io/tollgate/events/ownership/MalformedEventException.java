package io.tollgate.events.ownership;

/**
 * A record value (or key) on the ownership topic is not a valid ownership event; {@link #reason()} says which
 * rule it broke and {@link #field()} which member, so a consumer can skip the record and count it by reason.
 * Carries no stack trace: it is an expected outcome of decoding, cheap to throw for every bad record of a replay.
 */
public final class MalformedEventException extends Exception {

  /** Why a record was refused. */
  public enum Reason {
    /** Not UTF-8 JSON, not one JSON object, or trailing content after it. */
    NOT_JSON,
    /** The {@code type} member names no event this codec knows (e.g. a newer major version). */
    UNKNOWN_TYPE,
    /** A required member is absent. */
    MISSING_FIELD,
    /** A member has the wrong JSON type (e.g. {@code "version": "3"}, or null where a value is required). */
    WRONG_TYPE,
    /** A member has the right type but a value the schema forbids (e.g. {@code ':'} in an id, version 0). */
    INVALID_FIELD,
    /** The record key is absent or is not {@code <resourceType>:<resourceId>} of the value. */
    KEY_MISMATCH
  }

  private final Reason reason;
  private final String field;

  MalformedEventException(Reason reason, String field, String detail) {
    super(reason + (field == null ? "" : " " + field) + ": " + detail, null, false, false);
    this.reason = reason;
    this.field = field;
  }

  public Reason reason() {
    return reason;
  }

  /** The JSON member concerned, or null when the problem is not about one member. */
  public String field() {
    return field;
  }
}
