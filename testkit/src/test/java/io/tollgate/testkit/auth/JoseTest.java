package io.tollgate.testkit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class JoseTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void derToJoseStripsSignOctetsAndLeftPadsShortIntegers() {
    // r = 0x00 ff..ff (33 bytes with the sign octet), s = 0x01 (1 byte)
    String r = "00" + "ff".repeat(32);
    byte[] der = HEX.parseHex("3026" + "0221" + r + "0201" + "01");

    byte[] jose = Jose.derToJose(der, 32);

    assertThat(HEX.formatHex(jose)).isEqualTo("ff".repeat(32) + "00".repeat(31) + "01");
  }

  @Test
  void derToJoseReadsLongFormLengths() {
    byte[] der = HEX.parseHex("308106" + "020101" + "020102");

    assertThat(HEX.formatHex(Jose.derToJose(der, 2))).isEqualTo("0001" + "0002");
  }

  @Test
  void derToJoseRejectsWhatIsNotASequenceOfTwoIntegers() {
    assertThatThrownBy(() -> Jose.derToJose(HEX.parseHex("0201010201"), 32))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Jose.derToJose(HEX.parseHex("3003020101"), 32))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void es256SignaturesAreSixtyFourBytesThatTheJdkVerifiesOnceReEncoded() throws Exception {
    KeyPair pair = JwsAlgorithm.ES256.generateKeyPair();
    byte[] input = "header.payload".getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < 20; i++) {
      byte[] jose = JwsAlgorithm.ES256.sign(pair.getPrivate(), input);
      assertThat(jose).hasSize(64);

      Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(pair.getPublic());
      verifier.update(input);
      assertThat(verifier.verify(toDer(jose))).isTrue();
    }
  }

  @Test
  void base64urlHasNoPaddingAndUrlSafeAlphabet() {
    assertThat(Jose.b64(new byte[] {(byte) 0xfb, (byte) 0xff})).isEqualTo("-_8");
    assertThat(Jose.unsigned(BigInteger.valueOf(65537))).containsExactly(1, 0, 1);
    assertThat(Jose.unsigned(new BigInteger("ff", 16))).containsExactly(0xff);
  }

  private static byte[] toDer(byte[] jose) {
    byte[] r = new BigInteger(1, Arrays.copyOfRange(jose, 0, 32)).toByteArray();
    byte[] s = new BigInteger(1, Arrays.copyOfRange(jose, 32, 64)).toByteArray();
    byte[] der = new byte[6 + r.length + s.length];
    der[0] = 0x30;
    der[1] = (byte) (4 + r.length + s.length);
    der[2] = 0x02;
    der[3] = (byte) r.length;
    System.arraycopy(r, 0, der, 4, r.length);
    der[4 + r.length] = 0x02;
    der[5 + r.length] = (byte) s.length;
    System.arraycopy(s, 0, der, 6 + r.length, s.length);
    return der;
  }
}
