package io.tollgate.auth.jwt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Hand-made HS256 tokens with arbitrary header and payload text, for shapes no JOSE library would produce
 * (a header that is a JSON array, a payload with {@code 1e400}, invalid UTF-8) yet correctly signed, so the
 * verifier's later checks are reached.
 */
final class HmacTokens {

  static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  static final String HS256_HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

  private HmacTokens() {
  }

  static String sign(String headerJson, String payloadJson) {
    return sign(headerJson.getBytes(StandardCharsets.UTF_8), payloadJson.getBytes(StandardCharsets.UTF_8), SECRET);
  }

  static String sign(byte[] header, byte[] payload, byte[] secret) {
    String input = b64(header) + "." + b64(payload);
    return input + "." + b64(mac(secret, input.getBytes(StandardCharsets.US_ASCII)));
  }

  static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String b64(String text) {
    return b64(text.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] mac(byte[] secret, byte[] input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return mac.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
