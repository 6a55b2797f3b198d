package io.tollgate.upstream;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reads an upstream's {@code Retry-After} (RFC 9110 §10.2.3): delay-seconds or an HTTP-date. */
final class RetryAfter {

  private RetryAfter() {
  }

  /**
   * The wait the header asks for, in milliseconds (0 for a date in the past); -1 when absent or unreadable, which
   * means "no opinion", not "retry at once".
   */
  static long millis(String value, Instant now) {
    if (value == null) {
      return -1;
    }
    String v = value.trim();
    if (!v.isEmpty() && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return v.length() > 9 ? Long.MAX_VALUE / 2 : Long.parseLong(v) * 1000;
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Math.max(0, at.toEpochMilli() - now.toEpochMilli());
    } catch (DateTimeParseException e) {
      return -1;
    }
  }
}
