package io.tollgate.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The ES256 JOSE-to-DER conversion, checked against DER signatures the JDK itself produces. */
class JoseSignaturesTest {

  @Test
  void joseToDerInvertsTheJdksOwnSignaturesIncludingShortAndHighBitIntegers() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    Signature signer = Signature.getInstance("SHA256withECDSA");
    int highBit = 0;
    int shortInteger = 0;
    // Until both DER special cases were seen: r with its top bit set (needs a 0x00 pad, p = 1/2) and an integer
    // shorter than 32 bytes (p = 1/128 per signature, so 5000 signatures miss it with p < 1e-17).
    for (int i = 0; i < 5000 && (highBit == 0 || shortInteger == 0 || i < 20); i++) {
      signer.initSign(pair.getPrivate());
      byte[] message = ("message " + i).getBytes();
      signer.update(message);
      byte[] der = signer.sign();
      byte[] jose = derToJose(der);
      highBit += (jose[0] & 0x80) != 0 ? 1 : 0;
      shortInteger += jose[0] == 0 || jose[32] == 0 ? 1 : 0;

      assertThat(JoseSignatures.joseToDer(jose)).isEqualTo(der);
      if (i < 20 || jose[0] == 0 || jose[32] == 0) {
        assertThat(JoseSignatures.verify(JwsAlgorithm.ES256, pair.getPublic(), message, message.length, jose))
            .isTrue();
      }
    }
    assertThat(highBit).as("signatures whose r needs a 0x00 pad").isPositive();
    assertThat(shortInteger).as("signatures with an integer shorter than 32 bytes").isPositive();
  }

  @Test
  void zeroIntegersAreNeverTurnedIntoASignature() {
    byte[] rZero = new byte[64];
    rZero[63] = 1;
    byte[] sZero = new byte[64];
    sZero[0] = 1;

    assertThat(JoseSignatures.joseToDer(new byte[64])).isNull();
    assertThat(JoseSignatures.joseToDer(rZero)).isNull();
    assertThat(JoseSignatures.joseToDer(sZero)).isNull();
  }

  @Test
  void aKeyOfTheWrongTypeNeverVerifies() throws Exception {
    KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(ed.getPrivate());
    signer.update(new byte[] {1});
    byte[] signature = signer.sign();

    assertThat(JoseSignatures.verify(JwsAlgorithm.EdDSA, ed.getPublic(), new byte[] {1}, 1, signature)).isTrue();
    for (JwsAlgorithm other : new JwsAlgorithm[] {JwsAlgorithm.RS256, JwsAlgorithm.PS256, JwsAlgorithm.ES256,
        JwsAlgorithm.HS256}) {
      assertThat(JoseSignatures.verify(other, ed.getPublic(), new byte[] {1}, 1, signature)).isFalse();
    }
    assertThat(JoseSignatures.verify(JwsAlgorithm.EdDSA, rsa.getPublic(), new byte[] {1}, 1, signature)).isFalse();
  }

  /** DER SEQUENCE { INTEGER r, INTEGER s } to r || s; P-256 DER signatures are short enough for 1-byte lengths. */
  private static byte[] derToJose(byte[] der) {
    int rLength = der[3];
    byte[] r = Arrays.copyOfRange(der, 4, 4 + rLength);
    int sLength = der[5 + rLength];
    byte[] s = Arrays.copyOfRange(der, 6 + rLength, 6 + rLength + sLength);
    byte[] jose = new byte[64];
    copyPadded(new BigInteger(1, r), jose, 0);
    copyPadded(new BigInteger(1, s), jose, 32);
    return jose;
  }

  private static void copyPadded(BigInteger value, byte[] out, int offset) {
    byte[] bytes = value.toByteArray();
    int start = bytes.length > 32 ? bytes.length - 32 : 0;
    int length = bytes.length - start;
    System.arraycopy(bytes, start, out, offset + 32 - length, length);
  }
}
