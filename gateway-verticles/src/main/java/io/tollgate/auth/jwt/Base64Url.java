package io.tollgate.auth.jwt;

/**
 * Strict base64url decoding for JWS segments (RFC 7515 §2, RFC 4648 §5): only {@code A-Z a-z 0-9 - _}, no
 * padding, no whitespace, and the unused low bits of the last character must be zero (RFC 4648 §3.5), so each
 * byte string has exactly one accepted encoding. {@code java.util.Base64}'s URL decoder accepts {@code =}
 * padding and non-zero trailing bits, hence this class. Stateless and thread-safe.
 */
final class Base64Url {

  private static final int[] VALUES = new int[128];

  static {
    java.util.Arrays.fill(VALUES, -1);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < alphabet.length(); i++) {
      VALUES[alphabet.charAt(i)] = i;
    }
  }

  private Base64Url() {
  }

  /** Decodes {@code s[from, to)}; null when it is not strict base64url. An empty range decodes to no bytes. */
  static byte[] decode(String s, int from, int to) {
    int length = to - from;
    int tail = length % 4;
    if (tail == 1) {
      return null;
    }
    byte[] out = new byte[length / 4 * 3 + (tail == 0 ? 0 : tail - 1)];
    int o = 0;
    int i = from;
    for (int end = to - tail; i < end; i += 4) {
      int a = value(s, i);
      int b = value(s, i + 1);
      int c = value(s, i + 2);
      int d = value(s, i + 3);
      if ((a | b | c | d) < 0) {
        return null;
      }
      int bits = a << 18 | b << 12 | c << 6 | d;
      out[o++] = (byte) (bits >> 16);
      out[o++] = (byte) (bits >> 8);
      out[o++] = (byte) bits;
    }
    if (tail == 2) {
      int a = value(s, i);
      int b = value(s, i + 1);
      if ((a | b) < 0 || (b & 0x0f) != 0) {
        return null;
      }
      out[o] = (byte) (a << 2 | b >> 4);
    } else if (tail == 3) {
      int a = value(s, i);
      int b = value(s, i + 1);
      int c = value(s, i + 2);
      if ((a | b | c) < 0 || (c & 0x03) != 0) {
        return null;
      }
      out[o++] = (byte) (a << 2 | b >> 4);
      out[o] = (byte) (b << 4 | c >> 2);
    }
    return out;
  }

  /** Decodes a whole string; null when it is not strict base64url. */
  static byte[] decode(String s) {
    return decode(s, 0, s.length());
  }

  /** The 6-bit value of {@code s.charAt(i)}, or -1 (so an OR of several values is negative if any is invalid). */
  private static int value(String s, int i) {
    char c = s.charAt(i);
    return c < 128 ? VALUES[c] : -1;
  }
}
