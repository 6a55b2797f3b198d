package io.tollgate.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Duration and size syntax. Both parsers throw {@link IllegalArgumentException} with a message meant for the
 * user (it follows the field's path in a {@link ConfigError}).
 */
final class Units {

  private static final Pattern DURATION_PART = Pattern.compile("(\\d{1,15})(ms|h|m|s)");
  private static final Map<String, Long> DURATION_UNITS = Map.of("ms", 1L, "s", 1_000L, "m", 60_000L, "h", 3_600_000L);

  private static final Pattern SIZE = Pattern.compile("(\\d{1,19})\\s*([A-Za-z]*)");
  private static final Map<String, Long> SIZE_UNITS = Map.of(
      "", 1L, "b", 1L,
      "kb", 1_000L, "mb", 1_000_000L, "gb", 1_000_000_000L,
      "kib", 1L << 10, "mib", 1L << 20, "gib", 1L << 30);

  private Units() {
  }

  /**
   * A non-negative duration: an integer with a unit {@code ms}, {@code s}, {@code m} or {@code h}; parts may
   * be combined ({@code 1m30s}). A bare number is rejected: {@code 30} could mean seconds or milliseconds.
   */
  static Duration parseDuration(String text) {
    String t = text.strip();
    if (t.startsWith("-") && t.length() > 1) {
      parseDuration(t.substring(1)); // a malformed value is reported as such, not as negative
      throw new IllegalArgumentException("must not be negative");
    }
    if (!t.isEmpty() && t.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException(
          "'" + t + "' has no unit: write e.g. " + t + "s or " + t + "ms (a bare number is ambiguous)");
    }
    Matcher m = DURATION_PART.matcher(t);
    long millis = 0;
    int position = 0;
    while (position < t.length() && m.region(position, t.length()).lookingAt()) {
      try {
        millis = Math.addExact(millis, Math.multiplyExact(Long.parseLong(m.group(1)), DURATION_UNITS.get(m.group(2))));
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("duration '" + t + "' is too large");
      }
      position = m.end();
    }
    if (t.isEmpty() || position != t.length()) {
      throw new IllegalArgumentException("invalid duration '" + t + "' (expected e.g. 500ms, 3s, 2m, 1h or 1m30s)");
    }
    return Duration.ofMillis(millis);
  }

  /**
   * A non-negative size in bytes: an integer, optionally followed by a unit ({@code B}; {@code KB}, {@code MB},
   * {@code GB} in powers of 1000; {@code KiB}, {@code MiB}, {@code GiB} in powers of 1024; case-insensitive).
   */
  static long parseSize(String text) {
    String t = text.strip();
    if (t.startsWith("-") && t.length() > 1) {
      parseSize(t.substring(1));
      throw new IllegalArgumentException("must not be negative");
    }
    Matcher m = SIZE.matcher(t);
    if (!m.matches()) {
      throw new IllegalArgumentException("invalid size '" + t + "' (expected bytes or e.g. 512KiB, 10MiB, 1GB)");
    }
    Long unit = SIZE_UNITS.get(m.group(2).toLowerCase(Locale.ROOT));
    if (unit == null) {
      throw new IllegalArgumentException(
          "unknown size unit '" + m.group(2) + "' in '" + t + "' (use B, KB, MB, GB, KiB, MiB or GiB)");
    }
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("size '" + t + "' is too large");
    }
  }
}
