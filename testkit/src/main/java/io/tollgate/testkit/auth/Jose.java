package io.tollgate.testkit.auth;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;

/** Encoding helpers for JOSE (RFC 7515/7518): base64url without padding, big-endian integers, ECDSA framing. */
final class Jose {

  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private Jose() {}

  /** base64url without padding (RFC 7515 §2). */
  static String b64(byte[] bytes) {
    return B64URL.encodeToString(bytes);
  }

  /** base64url of the compact UTF-8 JSON encoding, as JWS headers and payloads are sent. */
  static String b64(JsonObject json) {
    return b64(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** The unsigned big-endian bytes of {@code value} with no leading zero octet (RFC 7518 §2, "Base64urlUInt"). */
  static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    if (bytes.length > 1 && bytes[0] == 0) {
      return Arrays.copyOfRange(bytes, 1, bytes.length);
    }
    return bytes;
  }

  /** The unsigned big-endian bytes of {@code value}, left-padded with zeros to exactly {@code length}. */
  static byte[] padded(BigInteger value, int length) {
    byte[] bytes = unsigned(value);
    if (bytes.length > length) {
      throw new IllegalArgumentException("integer needs " + bytes.length + " bytes, more than " + length);
    }
    byte[] out = new byte[length];
    System.arraycopy(bytes, 0, out, length - bytes.length, bytes.length);
    return out;
  }

  /**
   * Converts a JCA ECDSA signature, DER {@code SEQUENCE { INTEGER r, INTEGER s }}, to the JOSE form
   * {@code r || s} with each integer left-padded to {@code partLength} bytes (RFC 7518 §3.4).
   */
  static byte[] derToJose(byte[] der, int partLength) {
    int[] at = {0};
    expect(der, at, 0x30, "SEQUENCE");
    int sequenceLength = readLength(der, at);
    if (at[0] + sequenceLength != der.length) {
      throw new IllegalArgumentException("DER signature length mismatch");
    }
    byte[] out = new byte[2 * partLength];
    System.arraycopy(readInteger(der, at, partLength), 0, out, 0, partLength);
    System.arraycopy(readInteger(der, at, partLength), 0, out, partLength, partLength);
    return out;
  }

  /** {@code -----BEGIN PUBLIC KEY-----} PEM of the X.509 SubjectPublicKeyInfo, 64-character lines, final newline. */
  static String pem(PublicKey key) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
  }

  private static byte[] readInteger(byte[] der, int[] at, int partLength) {
    expect(der, at, 0x02, "INTEGER");
    int length = readLength(der, at);
    BigInteger value = new BigInteger(1, Arrays.copyOfRange(der, at[0], at[0] + length));
    at[0] += length;
    return padded(value, partLength);
  }

  private static void expect(byte[] der, int[] at, int tag, String name) {
    if (at[0] >= der.length || (der[at[0]] & 0xff) != tag) {
      throw new IllegalArgumentException("DER signature: expected " + name + " at offset " + at[0]);
    }
    at[0]++;
  }

  private static int readLength(byte[] der, int[] at) {
    int first = der[at[0]++] & 0xff;
    if (first < 0x80) {
      return first;
    }
    int octets = first & 0x7f;
    if (octets == 0 || octets > 2) {
      throw new IllegalArgumentException("DER signature: unsupported length form " + first);
    }
    int length = 0;
    for (int i = 0; i < octets; i++) {
      length = (length << 8) | (der[at[0]++] & 0xff);
    }
    return length;
  }
}
