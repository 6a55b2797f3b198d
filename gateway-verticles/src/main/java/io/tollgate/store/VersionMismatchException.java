package io.tollgate.store;

/** A write's {@code If-Match} version is not the current one: someone else wrote in between. */
public final class VersionMismatchException extends RuntimeException {

  private final long expected;
  private final long actual;

  public VersionMismatchException(long expected, long actual) {
    super("config version is " + actual + ", not " + expected, null, false, false);
    this.expected = expected;
    this.actual = actual;
  }

  public long expected() {
    return expected;
  }

  public long actual() {
    return actual;
  }
}
