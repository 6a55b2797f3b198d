package io.tollgate.events.cli;

/** The command line is wrong; the message says how, for the user. */
final class UsageException extends Exception {

  UsageException(String message) {
    super(message, null, false, false);
  }
}
