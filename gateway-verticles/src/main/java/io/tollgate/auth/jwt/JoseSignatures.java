package io.tollgate.auth.jwt;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.ProviderException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * Checks a JWS signature with the JDK's providers (RFC 7518 §3, RFC 8037 §3.1). Thread-safe: {@link Signature}
 * and {@link Mac} objects are not, so each thread (each event loop) keeps its own, made on first use and re-keyed
 * per call; {@code getInstance} costs a provider lookup that these caches avoid on every request.
 */
final class JoseSignatures {

  /** ES256 signatures are {@code r || s}, each exactly 32 bytes (RFC 7518 §3.4). */
  static final int ES256_SIGNATURE_BYTES = 64;

  private static final ThreadLocal<Signature[]> SIGNATURES =
      ThreadLocal.withInitial(() -> new Signature[JwsAlgorithm.values().length]);
  private static final ThreadLocal<Mac> HMAC_SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return Mac.getInstance("HmacSHA256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no HmacSHA256", e);
    }
  });

  private JoseSignatures() {
  }

  /**
   * Whether {@code signature} is valid for the first {@code inputLength} bytes of {@code input} under
   * {@code key}. False, never an exception, for any mismatch: a key of the wrong type for {@code algorithm} (so
   * an HS256 token is never checked against an RSA key, and no public key is ever used as an HMAC secret), a
   * signature of the wrong length or encoding, or a provider error.
   */
  static boolean verify(JwsAlgorithm algorithm, Key key, byte[] input, int inputLength, byte[] signature) {
    try {
      return switch (algorithm) {
        case HS256 -> key instanceof SecretKey secret && hmacMatches(secret, input, inputLength, signature);
        case RS256, PS256 -> key instanceof RSAPublicKey rsa
            && check(algorithm, rsa, input, inputLength, signature);
        case ES256 -> key instanceof ECPublicKey ec && signature.length == ES256_SIGNATURE_BYTES
            && check(algorithm, ec, input, inputLength, joseToDer(signature));
        case EdDSA -> key instanceof EdECPublicKey ed && check(algorithm, ed, input, inputLength, signature);
      };
    } catch (GeneralSecurityException | ProviderException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The DER form {@code SEQUENCE { INTEGER r, INTEGER s }} the JCA verifies, from JOSE {@code r || s}; null when
   * r or s is zero, which no valid signature has (and which some JDKs once accepted: CVE-2022-21449).
   */
  static byte[] joseToDer(byte[] jose) {
    int half = jose.length / 2;
    byte[] r = derInteger(jose, 0, half);
    byte[] s = derInteger(jose, half, half);
    if (r == null || s == null) {
      return null;
    }
    // At most 2 * (2 + 33) = 70 content bytes: the short length form always fits.
    byte[] der = new byte[2 + r.length + s.length];
    der[0] = 0x30;
    der[1] = (byte) (r.length + s.length);
    System.arraycopy(r, 0, der, 2, r.length);
    System.arraycopy(s, 0, der, 2 + r.length, s.length);
    return der;
  }

  private static byte[] derInteger(byte[] source, int offset, int length) {
    int start = offset;
    int end = offset + length;
    while (start < end && source[start] == 0) {
      start++;
    }
    if (start == end) {
      return null;
    }
    // DER INTEGERs are signed: a leading 1 bit needs a zero octet in front to stay positive.
    int pad = (source[start] & 0x80) != 0 ? 1 : 0;
    int contentLength = end - start + pad;
    byte[] out = new byte[2 + contentLength];
    out[0] = 0x02;
    out[1] = (byte) contentLength;
    System.arraycopy(source, start, out, 2 + pad, end - start);
    return out;
  }

  private static boolean check(JwsAlgorithm algorithm, PublicKey key, byte[] input, int inputLength,
      byte[] signature) throws GeneralSecurityException {
    if (signature == null) {
      return false;
    }
    Signature verifier = signature(algorithm);
    verifier.initVerify(key);
    verifier.update(input, 0, inputLength);
    return verifier.verify(signature);
  }

  private static boolean hmacMatches(SecretKey secret, byte[] input, int inputLength, byte[] signature)
      throws GeneralSecurityException {
    Mac mac = HMAC_SHA256.get();
    mac.init(secret);
    mac.update(input, 0, inputLength);
    // Constant-time comparison: a timing difference would let a client find a valid MAC byte by byte.
    return MessageDigest.isEqual(mac.doFinal(), signature);
  }

  private static Signature signature(JwsAlgorithm algorithm) throws GeneralSecurityException {
    Signature[] cache = SIGNATURES.get();
    Signature signature = cache[algorithm.ordinal()];
    if (signature == null) {
      signature = newSignature(algorithm);
      cache[algorithm.ordinal()] = signature;
    }
    return signature;
  }

  /** A fresh JCA object; package-private so the benchmark can compare with the per-thread reuse. */
  static Signature newSignature(JwsAlgorithm algorithm) throws GeneralSecurityException {
    return switch (algorithm) {
      case RS256 -> Signature.getInstance("SHA256withRSA");
      case PS256 -> pss();
      case ES256 -> Signature.getInstance("SHA256withECDSA");
      case EdDSA -> Signature.getInstance("Ed25519");
      case HS256 -> throw new NoSuchAlgorithmException("HS256 is a MAC, not a signature");
    };
  }

  private static Signature pss() throws NoSuchAlgorithmException, InvalidAlgorithmParameterException {
    // RFC 7518 §3.5: SHA-256, MGF1 with SHA-256, salt as long as the hash, trailer field 1.
    Signature pss = Signature.getInstance("RSASSA-PSS");
    pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
    return pss;
  }
}
