package io.tollgate.testkit.auth;

import io.vertx.core.json.JsonObject;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;

/**
 * The asymmetric JWS algorithms a {@link TokenIssuer} signs with (RFC 7518 §3, RFC 8037), implemented with
 * the JDK's own providers only: RSA keys are 2048 bits, EC keys on P-256, EdDSA keys Ed25519.
 */
public enum JwsAlgorithm {

  /** RSASSA-PKCS1-v1_5 with SHA-256. */
  RS256("RS256"),
  /** RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt (RFC 7518 §3.5). */
  PS256("PS256"),
  /** ECDSA on P-256 with SHA-256; signatures in JOSE {@code r || s} form, 64 bytes. */
  ES256("ES256"),
  /** Ed25519 (RFC 8037). */
  EDDSA("EdDSA");

  private static final int RSA_BITS = 2048;
  private static final int P256_PART_BYTES = 32;
  /** An X.509 SubjectPublicKeyInfo for Ed25519 is a fixed 12-byte prefix and the 32-byte key (RFC 8410). */
  private static final int ED25519_KEY_BYTES = 32;

  private final String joseName;

  JwsAlgorithm(String joseName) {
    this.joseName = joseName;
  }

  /** The {@code alg} header value: {@code RS256}, {@code PS256}, {@code ES256} or {@code EdDSA}. */
  public String joseName() {
    return joseName;
  }

  /** Generates a fresh key pair for this algorithm; RSA takes tens to hundreds of milliseconds. */
  KeyPair generateKeyPair() {
    try {
      return switch (this) {
        case RS256, PS256 -> {
          KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
          generator.initialize(RSA_BITS);
          yield generator.generateKeyPair();
        }
        case ES256 -> {
          KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
          generator.initialize(new ECGenParameterSpec("secp256r1"));
          yield generator.generateKeyPair();
        }
        case EDDSA -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      };
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot generate a " + joseName + " key", e);
    }
  }

  /** Signs {@code input} and returns the signature as JWS carries it. */
  byte[] sign(PrivateKey key, byte[] input) {
    try {
      Signature signature = newSignature();
      signature.initSign(key);
      signature.update(input);
      byte[] raw = signature.sign();
      return this == ES256 ? Jose.derToJose(raw, P256_PART_BYTES) : raw;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign with " + joseName, e);
    }
  }

  /** The public members of a JWK for {@code key}: {@code kty} and the key parameters (RFC 7518 §6, RFC 8037 §2). */
  JsonObject publicJwkMembers(PublicKey key) {
    return switch (this) {
      case RS256, PS256 -> {
        RSAPublicKey rsa = (RSAPublicKey) key;
        yield new JsonObject()
            .put("kty", "RSA")
            .put("n", Jose.b64(Jose.unsigned(rsa.getModulus())))
            .put("e", Jose.b64(Jose.unsigned(rsa.getPublicExponent())));
      }
      case ES256 -> {
        ECPublicKey ec = (ECPublicKey) key;
        yield new JsonObject()
            .put("kty", "EC")
            .put("crv", "P-256")
            .put("x", Jose.b64(Jose.padded(ec.getW().getAffineX(), P256_PART_BYTES)))
            .put("y", Jose.b64(Jose.padded(ec.getW().getAffineY(), P256_PART_BYTES)));
      }
      case EDDSA -> {
        byte[] encoded = key.getEncoded();
        byte[] raw = Arrays.copyOfRange(encoded, encoded.length - ED25519_KEY_BYTES, encoded.length);
        yield new JsonObject().put("kty", "OKP").put("crv", "Ed25519").put("x", Jose.b64(raw));
      }
    };
  }

  private Signature newSignature() throws GeneralSecurityException {
    return switch (this) {
      case RS256 -> Signature.getInstance("SHA256withRSA");
      case PS256 -> {
        Signature pss = Signature.getInstance("RSASSA-PSS");
        pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        yield pss;
      }
      case ES256 -> Signature.getInstance("SHA256withECDSA");
      case EDDSA -> Signature.getInstance("Ed25519");
    };
  }
}
