package io.tollgate.proxy;

/** Raised by {@link LimitedBody} when a request body exceeds the route's cap. No stack trace: it is expected. */
public final class BodyTooLargeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public BodyTooLargeException(long limit) {
    super("request body exceeds " + limit + " bytes", null, false, false);
  }
}
