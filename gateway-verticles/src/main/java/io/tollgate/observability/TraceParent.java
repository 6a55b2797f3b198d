package io.tollgate.observability;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The W3C Trace Context {@code traceparent} header (level 1, §3.2) as far as head sampling needs it, without the
 * OpenTelemetry SDK: its sampled flag (read without allocating) and fresh unsampled values. Pure functions.
 */
final class TraceParent {

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TraceParent() {
  }

  /**
   * The sampled flag of a W3C {@code traceparent} (1 or 0), or -1 when the header is not a valid one (then the
   * request counts as a new trace, and the header is replaced upstream). Version {@code 00}, or a later version
   * read as {@code 00} (W3C Trace Context §3.2.4: its first four fields, then {@code -} or the end).
   */
  static int sampledFlag(String header) {
    int length = header.length();
    if (length < 55 || length > 55 && (header.startsWith("00") || header.charAt(55) != '-')
        || header.startsWith("ff") || header.charAt(2) != '-' || header.charAt(35) != '-' || header.charAt(52) != '-'
        || !isHex(header, 0, 2) || !isNonZeroHex(header, 3, 35) || !isNonZeroHex(header, 36, 52)
        || !isHex(header, 53, 55)) {
      return -1;
    }
    return Character.digit(header.charAt(54), 16) & 1;
  }

  private static boolean isHex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isNonZeroHex(String s, int from, int to) {
    if (!isHex(s, from, to)) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (s.charAt(i) != '0') {
        return true;
      }
    }
    return false;
  }

  /** {@code 00-<random trace id>-<random span id>-00}: a new trace, not sampled. */
  static String unsampled() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    char[] out = new char[55];
    out[0] = '0';
    out[1] = '0';
    out[2] = '-';
    long hi;
    do {
      hi = random.nextLong();
    } while (hi == 0);
    hex(hi, out, 3);
    hex(random.nextLong(), out, 19);
    out[35] = '-';
    long span;
    do {
      span = random.nextLong();
    } while (span == 0);
    hex(span, out, 36);
    out[52] = '-';
    out[53] = '0';
    out[54] = '0';
    return new String(out);
  }

  private static void hex(long value, char[] out, int at) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = HEX[(int) (value & 0xf)];
      value >>>= 4;
    }
  }
}
