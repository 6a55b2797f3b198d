package io.tollgate.auth.jwt;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.EnumSet;
import java.util.Set;

/**
 * Turns one public JWK (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2) into a {@link VerificationKey}, or throws
 * {@link IllegalArgumentException} saying why the key is not usable. Runs when a JWKS is loaded (control
 * plane), never per request. Stateless and thread-safe.
 */
final class JwkParser {

  /** RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used". */
  static final int MIN_RSA_BITS = 2048;
  /** The JDK refuses larger moduli; a bound also keeps one verification's cost bounded. */
  static final int MAX_RSA_BITS = 16384;
  private static final int P256_COORDINATE_BYTES = 32;
  private static final int ED25519_KEY_BYTES = 32;
  private static final ECParameterSpec P256 = p256();

  private JwkParser() {
  }

  static VerificationKey parse(JsonObject jwk, Set<JwsAlgorithm> pinned) {
    String kty = string(jwk, "kty", true);
    String kid = string(jwk, "kid", false);
    String use = string(jwk, "use", false);
    if (use != null && !use.equals("sig")) {
      throw new IllegalArgumentException("use " + Shown.quoted(use) + " is not \"sig\"");
    }
    Object ops = jwk.getValue("key_ops");
    if (ops != null && !(ops instanceof JsonArray array && array.contains("verify"))) {
      throw new IllegalArgumentException("key_ops does not allow \"verify\"");
    }
    Set<JwsAlgorithm> algorithms = algorithmsFor(jwk, kty);
    String alg = string(jwk, "alg", false);
    if (alg != null) {
      JwsAlgorithm only = JwsAlgorithm.fromJose(alg);
      if (only == null) {
        throw new IllegalArgumentException("alg " + Shown.quoted(alg) + " is not supported");
      }
      if (!algorithms.contains(only)) {
        throw new IllegalArgumentException("alg " + alg + " does not fit kty " + kty);
      }
      algorithms.retainAll(EnumSet.of(only));
    }
    algorithms.retainAll(pinned);
    if (algorithms.isEmpty()) {
      throw new IllegalArgumentException("fits none of the pinned algorithms " + pinned);
    }
    PublicKey key = switch (kty) {
      case "RSA" -> rsa(jwk);
      case "EC" -> p256(jwk);
      default -> ed25519(jwk);
    };
    return new VerificationKey(kid, key, Set.copyOf(algorithms));
  }

  /** What a key of this type (and curve) could verify at all, before pinning; throws for unsupported types. */
  private static Set<JwsAlgorithm> algorithmsFor(JsonObject jwk, String kty) {
    switch (kty) {
      case "RSA":
        return EnumSet.of(JwsAlgorithm.RS256, JwsAlgorithm.PS256);
      case "EC":
        requireCurve(jwk, "P-256");
        return EnumSet.of(JwsAlgorithm.ES256);
      case "OKP":
        requireCurve(jwk, "Ed25519");
        return EnumSet.of(JwsAlgorithm.EdDSA);
      case "oct":
        // A shared secret in a published key set is a leak, and HS256 keys must never come from where the
        // token's issuer could influence them (RFC 8725 §2.2): secrets are configured via KeySet.hmac.
        throw new IllegalArgumentException("symmetric (oct) keys are not accepted from a JWKS");
      default:
        throw new IllegalArgumentException("kty " + Shown.quoted(kty) + " is not supported");
    }
  }

  private static void requireCurve(JsonObject jwk, String expected) {
    String crv = string(jwk, "crv", true);
    if (!crv.equals(expected)) {
      throw new IllegalArgumentException("crv " + Shown.quoted(crv) + " is not supported (only " + expected + ")");
    }
  }

  private static PublicKey rsa(JsonObject jwk) {
    // Base64urlUInt must not have leading zero octets (RFC 7518 §2), but some providers add one: tolerated.
    BigInteger n = new BigInteger(1, bytes(jwk, "n"));
    BigInteger e = new BigInteger(1, bytes(jwk, "e"));
    if (n.bitLength() < MIN_RSA_BITS || n.bitLength() > MAX_RSA_BITS) {
      throw new IllegalArgumentException("RSA modulus has " + n.bitLength() + " bits, outside "
          + MIN_RSA_BITS + ".." + MAX_RSA_BITS);
    }
    if (!e.testBit(0) || e.bitLength() < 2 || e.bitLength() > 64) {
      throw new IllegalArgumentException("RSA exponent must be odd, at least 3 and at most 64 bits");
    }
    return generate("RSA", new RSAPublicKeySpec(n, e));
  }

  private static PublicKey p256(JsonObject jwk) {
    BigInteger x = new BigInteger(1, bytes(jwk, "x", P256_COORDINATE_BYTES));
    BigInteger y = new BigInteger(1, bytes(jwk, "y", P256_COORDINATE_BYTES));
    // The JDK does not check that a public point lies on the curve; an off-curve point is never a real key.
    BigInteger p = ((ECFieldFp) P256.getCurve().getField()).getP();
    BigInteger rhs = x.pow(3).add(P256.getCurve().getA().multiply(x)).add(P256.getCurve().getB()).mod(p);
    if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0 || !y.modPow(BigInteger.TWO, p).equals(rhs)) {
      throw new IllegalArgumentException("point is not on P-256");
    }
    return generate("EC", new ECPublicKeySpec(new ECPoint(x, y), P256));
  }

  private static PublicKey ed25519(JsonObject jwk) {
    // RFC 8032 §5.1.2: y little-endian in 255 bits, the top bit of the last octet is the sign of x.
    byte[] raw = bytes(jwk, "x", ED25519_KEY_BYTES);
    boolean xOdd = (raw[raw.length - 1] & 0x80) != 0;
    byte[] bigEndian = new byte[raw.length];
    for (int i = 0; i < raw.length; i++) {
      bigEndian[i] = raw[raw.length - 1 - i];
    }
    bigEndian[0] &= 0x7f;
    EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, bigEndian));
    return generate("Ed25519", new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
  }

  private static PublicKey generate(String algorithm, java.security.spec.KeySpec spec) {
    try {
      return KeyFactory.getInstance(algorithm).generatePublic(spec);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the JDK rejects the key: " + e.getMessage());
    }
  }

  private static byte[] bytes(JsonObject jwk, String member) {
    byte[] value = Base64Url.decode(string(jwk, member, true));
    if (value == null || value.length == 0) {
      throw new IllegalArgumentException(member + " is not base64url");
    }
    return value;
  }

  private static byte[] bytes(JsonObject jwk, String member, int exactLength) {
    byte[] value = bytes(jwk, member);
    if (value.length != exactLength) {
      // RFC 7518 §6.2.1.2 and RFC 8037 §2: full-size, fixed-length encodings.
      throw new IllegalArgumentException(member + " has " + value.length + " bytes, not " + exactLength);
    }
    return value;
  }

  private static String string(JsonObject jwk, String member, boolean required) {
    Object value = jwk.getValue(member);
    if (value == null && !required) {
      return null;
    }
    if (!(value instanceof String s)) {
      throw new IllegalArgumentException(member + " is " + (value == null ? "missing" : "not a string"));
    }
    return s;
  }

  private static ECParameterSpec p256() {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec("secp256r1"));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
