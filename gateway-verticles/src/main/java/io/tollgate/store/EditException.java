package io.tollgate.store;

/**
 * An edit refused before anything was written, with the HTTP status the Admin API answers: 404 (no such entity),
 * 409 (already exists, still referenced), 400 (malformed).
 */
public final class EditException extends RuntimeException {

  private final int status;

  public EditException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
