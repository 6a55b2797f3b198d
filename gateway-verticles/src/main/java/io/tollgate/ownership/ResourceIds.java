package io.tollgate.ownership;

/**
 * How {@link OwnershipReplica} stores a resource id compactly: a canonical decimal number of at most 18 digits
 * becomes a {@code long}, a canonical (lower-case) UUID becomes two {@code long}s, anything else stays text.
 *
 * <p>"Canonical" makes the mapping one-to-one, so ids that differ as strings stay different resources:
 * {@code "7"} is a number but {@code "007"}, {@code "+7"} and {@code "-0"} are text; a lower-case UUID is packed
 * but its upper-case spelling is text (ids are compared case-sensitively, like every other string). Eighteen
 * digits always fit a {@code long}, so parsing never overflows, and {@link Long#MIN_VALUE} is free to mean "not
 * a number". Every method is static, allocation-free and thread-safe: the lookup hot path calls them.
 */
final class ResourceIds {

  /** Returned by {@link #number(String)} for an id that is not a canonical number. */
  static final long NOT_A_NUMBER = Long.MIN_VALUE;

  private static final int MAX_DIGITS = 18;
  private static final int UUID_LENGTH = 36;

  private ResourceIds() {
  }

  /**
   * The id as a number: {@code 0}, or an optional {@code -} then 1–18 digits without a leading zero; else
   * {@link #NOT_A_NUMBER}.
   */
  static long number(String id) {
    int length = id.length();
    boolean negative = length > 1 && id.charAt(0) == '-';
    int start = negative ? 1 : 0;
    int digits = length - start;
    if (digits < 1 || digits > MAX_DIGITS || (id.charAt(start) == '0' && (digits > 1 || negative))) {
      return NOT_A_NUMBER;
    }
    long value = 0;
    for (int i = start; i < length; i++) {
      int digit = id.charAt(i) - '0';
      if (digit < 0 || digit > 9) {
        return NOT_A_NUMBER;
      }
      value = value * 10 + digit;
    }
    return negative ? -value : value;
  }

  /** Whether the id is a UUID as {@link java.util.UUID#toString()} writes it: 8-4-4-4-12 lower-case hex digits. */
  static boolean isUuid(String id) {
    if (id.length() != UUID_LENGTH) {
      return false;
    }
    for (int i = 0; i < UUID_LENGTH; i++) {
      char c = id.charAt(i);
      boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
      if (dash ? c != '-' : hex(c) < 0) {
        return false;
      }
    }
    return true;
  }

  /** The most significant 64 bits of a UUID that {@link #isUuid} accepted. */
  static long uuidHigh(String id) {
    return hex(id, 0, 8) << 32 | hex(id, 9, 13) << 16 | hex(id, 14, 18);
  }

  /** The least significant 64 bits of a UUID that {@link #isUuid} accepted. */
  static long uuidLow(String id) {
    return hex(id, 19, 23) << 48 | hex(id, 24, UUID_LENGTH);
  }

  private static long hex(String id, int from, int to) {
    long value = 0;
    for (int i = from; i < to; i++) {
      value = value << 4 | hex(id.charAt(i));
    }
    return value;
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  }
}
