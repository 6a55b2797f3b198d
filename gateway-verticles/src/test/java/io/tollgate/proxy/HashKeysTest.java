package io.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.upstream.ServiceTargets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code consistent-hash} key of a cookie: found wherever it stands, quoted or not; absent or empty = no key. */
class HashKeysTest {

  @Test
  void aCookieIsFoundAmongOthersAndAcrossCookieFields() {
    long expected = hash("abc123");
    assertThat(HashKeys.cookie(List.of("session=abc123"), "session")).isEqualTo(expected);
    assertThat(HashKeys.cookie(List.of("a=1; session=abc123; b=2"), "session")).isEqualTo(expected);
    assertThat(HashKeys.cookie(List.of("a=1;session=abc123 "), "session")).isEqualTo(expected);
    assertThat(HashKeys.cookie(List.of("session=\"abc123\""), "session")).isEqualTo(expected);
    assertThat(HashKeys.cookie(List.of("a=1", "session=abc123"), "session")).isEqualTo(expected);
    assertThat(HashKeys.cookie(List.of("session=abc123; session=other"), "session")).as("the first one")
        .isEqualTo(expected);
  }

  @Test
  void noKeyWhenTheCookieIsAbsentEmptyOrOnlyAPrefixMatches() {
    assertThat(HashKeys.cookie(List.of(), "session")).isEqualTo(ServiceTargets.NO_HASH);
    assertThat(HashKeys.cookie(List.of("xsession=abc; sessionx=abc; a=session"), "session"))
        .isEqualTo(ServiceTargets.NO_HASH);
    assertThat(HashKeys.cookie(List.of("session="), "session")).isEqualTo(ServiceTargets.NO_HASH);
    assertThat(HashKeys.cookie(List.of("session"), "session")).isEqualTo(ServiceTargets.NO_HASH);
  }

  private static long hash(String key) {
    return ServiceTargets.hashKey(key, 0, key.length());
  }
}
