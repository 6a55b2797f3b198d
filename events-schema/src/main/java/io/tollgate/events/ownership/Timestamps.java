package io.tollgate.events.ownership;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Parses {@code occurredAt} (an RFC 3339 date-time). The form every Tollgate producer writes,
 * {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z}, takes a fast path without a formatter (a replay decodes a million of
 * them); any other offset falls back to {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}, which is a little more
 * lenient than RFC 3339 (it also takes a lower-case {@code t}/{@code z}, a {@code .} without digits).
 */
final class Timestamps {

  private static final int SECONDS_PER_DAY = 86_400;

  private Timestamps() {
  }

  /** @throws DateTimeException when {@code text} is not a date-time with an offset */
  static Instant parse(String text) {
    Instant fast = parseUtc(text);
    return fast != null ? fast : OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
  }

  /** The fast path; null when {@code text} has another shape (the general parser decides then). */
  private static Instant parseUtc(String s) {
    int n = s.length();
    if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-'
        || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return null;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    int nanos = fraction(s, 19, n - 1);
    if ((year | month | day | hour | minute | second | nanos) < 0 || hour > 23 || minute > 59 || second > 59) {
      return null; // including leap second 60: the general parser knows what to do with it
    }
    long epochDay = LocalDate.of(year, month, day).toEpochDay(); // throws for Feb 30 and the like
    return Instant.ofEpochSecond(epochDay * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second, nanos);
  }

  /** The decimal number in {@code s[from, to)}, or -1 when a character is not a digit. */
  private static int digits(String s, int from, int to) {
    int value = 0;
    for (int i = from; i < to; i++) {
      int digit = s.charAt(i) - '0';
      if (digit < 0 || digit > 9) {
        return -1;
      }
      value = value * 10 + digit;
    }
    return value;
  }

  /** Nanoseconds of {@code .fraction} in {@code s[from, to)}: 0 when empty, -1 when malformed. */
  private static int fraction(String s, int from, int to) {
    if (from == to) {
      return 0;
    }
    int length = to - from - 1;
    if (s.charAt(from) != '.' || length < 1 || length > 9) {
      return -1;
    }
    int value = digits(s, from + 1, to);
    for (int i = length; i < 9 && value >= 0; i++) {
      value *= 10;
    }
    return value;
  }
}
