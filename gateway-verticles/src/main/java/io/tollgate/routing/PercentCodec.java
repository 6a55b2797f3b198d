package io.tollgate.routing;

import java.nio.charset.StandardCharsets;

/**
 * Character classes of RFC 3986 and percent-encoding helpers shared by the routing classes. Stateless; lookup
 * tables only, no regex.
 */
final class PercentCodec {

  static final char[] HEX_UPPER = "0123456789ABCDEF".toCharArray();

  /** RFC 3986 §2.3 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~". */
  private static final boolean[] UNRESERVED = new boolean[128];
  /** RFC 3986 §3.3 pchar minus pct-encoded: unreserved / sub-delims / ":" / "@". */
  private static final boolean[] PCHAR = new boolean[128];

  static {
    for (int c = 'a'; c <= 'z'; c++) {
      UNRESERVED[c] = true;
      UNRESERVED[c - 'a' + 'A'] = true;
    }
    for (int c = '0'; c <= '9'; c++) {
      UNRESERVED[c] = true;
    }
    for (char c : "-._~".toCharArray()) {
      UNRESERVED[c] = true;
    }
    System.arraycopy(UNRESERVED, 0, PCHAR, 0, 128);
    for (char c : "!$&'()*+,;=:@".toCharArray()) {
      PCHAR[c] = true;
    }
  }

  private PercentCodec() {
  }

  static boolean isUnreserved(int c) {
    return c >= 0 && c < 128 && UNRESERVED[c];
  }

  /** A character allowed raw in a path segment (so not {@code %}, {@code /} or {@code \}). */
  static boolean isPchar(char c) {
    return c < 128 && PCHAR[c];
  }

  /** Value of a hex digit of either case, or -1. */
  static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }

  /**
   * Percent-decodes a path segment as UTF-8 ({@code +} stays {@code +}); malformed escapes are kept literally
   * and invalid UTF-8 becomes U+FFFD. Returns {@code s} itself when it contains no {@code %}.
   */
  static String decodePath(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    byte[] src = s.getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[src.length];
    int n = 0;
    for (int i = 0; i < src.length; i++) {
      byte b = src[i];
      if (b == '%' && i + 2 < src.length) {
        int hi = hex((char) src[i + 1]);
        int lo = hex((char) src[i + 2]);
        if (hi >= 0 && lo >= 0) {
          out[n++] = (byte) (hi << 4 | lo);
          i += 2;
          continue;
        }
      }
      out[n++] = b;
    }
    return new String(out, 0, n, StandardCharsets.UTF_8);
  }

  /**
   * Encodes a query name or value: every byte of the UTF-8 form except unreserved characters becomes
   * {@code %XX}, so {@code &}, {@code =}, {@code +}, {@code ;} and {@code #} can never split or end a parameter.
   * Returns {@code s} itself when nothing needs encoding.
   */
  static String encodeQueryComponent(String s) {
    int i = 0;
    while (i < s.length() && isUnreserved(s.charAt(i))) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    StringBuilder sb = new StringBuilder(bytes.length + 16);
    for (byte b : bytes) {
      int v = b & 0xFF;
      if (isUnreserved(v)) {
        sb.append((char) v);
      } else {
        sb.append('%').append(HEX_UPPER[v >> 4]).append(HEX_UPPER[v & 0xF]);
      }
    }
    return sb.toString();
  }

  /** ASCII lower-casing of a UTF-8 name, for {@link #queryNameMatches}. */
  static byte[] lowerAsciiUtf8(String name) {
    byte[] b = name.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) lowerAscii(b[i] & 0xFF);
    }
    return b;
  }

  /**
   * Whether the raw query name {@code q[start, end)}, once form-decoded ({@code %XX} and {@code +} as space),
   * equals {@code lowerName} ignoring ASCII case, or starts with it followed by {@code [} or {@code =}. Leading
   * spaces are skipped and {@code .}, space and {@code [} match {@code _} (PHP's name mangling).
   * Allocation-free. Raw chars up to U+00FF are taken as the
   * bytes they were on the wire (HTTP/1 request lines are decoded as ISO-8859-1); higher chars as UTF-8.
   */
  static boolean queryNameMatches(String q, int start, int end, byte[] lowerName) {
    int j = 0;
    int i = start;
    while (i < end) {
      char c = q.charAt(i);
      int b;
      if (c == '%' && i + 2 < end && hex(q.charAt(i + 1)) >= 0 && hex(q.charAt(i + 2)) >= 0) {
        b = hex(q.charAt(i + 1)) << 4 | hex(q.charAt(i + 2));
        i += 3;
      } else if (c == '+') {
        b = ' ';
        i++;
      } else if (c <= 0xFF) {
        b = c;
        i++;
      } else {
        // Rare: a programmatic caller passed a non-Latin-1 char; compare its UTF-8 bytes.
        byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        for (byte u : utf8) {
          if (j >= lowerName.length || (u & 0xFF) != (lowerName[j] & 0xFF)) {
            return false;
          }
          j++;
        }
        i++;
        continue;
      }
      if (j == 0 && b == ' ') {
        continue; // PHP drops leading spaces from names
      }
      if (j == lowerName.length) {
        // The whole name matched and more follows: array/hash syntax (name[], name[k]) or an encoded '='
        // (name%3Dvalue) would reach the same parameter in some upstream frameworks.
        return b == '[' || b == '=';
      }
      int expected = lowerName[j] & 0xFF;
      if (lowerAscii(b) != expected && !(expected == '_' && (b == '.' || b == ' ' || b == '['))) {
        return false; // '.', ' ' and '[' match '_': PHP rewrites them so in $_GET names
      }
      j++;
    }
    return j == lowerName.length;
  }

  static int lowerAscii(int b) {
    return b >= 'A' && b <= 'Z' ? b + ('a' - 'A') : b;
  }
}
