package io.tollgate.events.ownership;

/**
 * A member of an ownership event breaks its schema (e.g. {@code resourceId} contains {@code :}). Thrown by the
 * event records' constructors; {@link OwnershipCodec#decode} turns it into a
 * {@link MalformedEventException.Reason#INVALID_FIELD}.
 */
public final class InvalidFieldException extends IllegalArgumentException {

  private final String field;
  private final String problem;

  InvalidFieldException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
    this.problem = problem;
  }

  /** The JSON member name, e.g. {@code resourceId}. */
  public String field() {
    return field;
  }

  /** What is wrong with it, e.g. {@code must not contain ':', was "1:2"}. */
  public String problem() {
    return problem;
  }
}
