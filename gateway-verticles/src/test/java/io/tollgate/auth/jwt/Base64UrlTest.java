package io.tollgate.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Base64UrlTest {

  @Test
  void decodesWhatTheJdkEncodesWithoutPadding() {
    Random random = new Random(42);
    for (int length = 0; length < 70; length++) {
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

      assertThat(Base64Url.decode(encoded)).as(encoded).isEqualTo(bytes);
      assertThat(Base64Url.decode("x." + encoded + ".y", 2, 2 + encoded.length())).isEqualTo(bytes);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"QQ==", "QUE=", "Q", "QUFBQ", "QU+B", "QU/B", "QU B", "QU\nB", "QUé=", "QR", "QUF", "QUG"})
  void rejectsPaddingForeignCharactersImpossibleLengthsAndNonCanonicalTails(String encoded) {
    // "QR" and "QUF" decode (leniently) to the same bytes as "QQ" and "QUE": only one encoding is accepted.
    assertThat(Base64Url.decode(encoded)).isNull();
  }

  @Test
  void canonicalTailsAreAccepted() {
    assertThat(Base64Url.decode("QQ")).containsExactly('A');
    assertThat(Base64Url.decode("QUE")).containsExactly('A', 'A');
    assertThat(Base64Url.decode("-_-_")).isEqualTo(Base64.getUrlDecoder().decode("-_-_"));
  }
}
