package io.tollgate.routing;

/**
 * A request path that cannot be routed safely; the ingress answers {@code 400 Bad Request}.
 *
 * <p>Unchecked, and created without a stack trace: it is thrown on the event loop for every malformed request
 * (including deliberate floods), so it must be cheap. {@link #reason()} is a short, fixed, human-readable phrase
 * (for example {@code "invalid percent-encoding"}) that never echoes the client's input, so it is safe to put in
 * a response body or a log line.
 */
public final class BadPathException extends RuntimeException {

  /** @param reason short fixed phrase, such as {@code "encoded slash"} */
  public BadPathException(String reason) {
    super(reason, null, false, false);
  }

  /** The short reason given at construction (same as {@link #getMessage()}). */
  public String reason() {
    return getMessage();
  }
}
