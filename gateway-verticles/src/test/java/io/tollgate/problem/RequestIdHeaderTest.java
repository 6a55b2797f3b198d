package io.tollgate.problem;

import static io.tollgate.testing.FakeRequest.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestIdHeaderTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "abc-123", "A.b_c:d-E", "0123456789abcdef0123456789abcdef",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"})
  void saneIdsAreAcceptable(String id) {
    assertThat(RequestIdHeader.isAcceptable(id)).isTrue();
  }

  @Test
  void lengthIsOneTo128() {
    assertThat(RequestIdHeader.isAcceptable("x".repeat(128))).isTrue();
    assertThat(RequestIdHeader.isAcceptable("x".repeat(129))).isFalse();
    assertThat(RequestIdHeader.isAcceptable("")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a b", "a\tb", "a\nb", "a\r\nX-Evil: 1", "a\"b", "a/b", "a=b", "a;b", "a,b", "a%20b",
      "{json}", "é", "a\u0000"})
  void anythingElseIsNot(String id) {
    assertThat(RequestIdHeader.isAcceptable(id)).isFalse();
  }

  @Test
  void generatedIdsAre32LowercaseHexDigitsAndAcceptable() {
    for (int i = 0; i < 100; i++) {
      String id = RequestIdHeader.generate();
      assertThat(id).matches("[0-9a-f]{32}");
      assertThat(RequestIdHeader.isAcceptable(id)).isTrue();
    }
  }

  @Test
  void generatedIdsAreUnique() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(RequestIdHeader.generate());
    }
    assertThat(ids).hasSize(10_000);
  }

  @Test
  void ofKeepsASaneClientIdAndReplacesABadOne() {
    assertThat(RequestIdHeader.of(request().header("x-request-id", "client-42").build())).isEqualTo("client-42");

    String replaced = RequestIdHeader.of(request().header("X-Request-Id", "bad id; <script>").build());
    assertThat(replaced).matches("[0-9a-f]{32}");

    assertThat(RequestIdHeader.of(request().build())).matches("[0-9a-f]{32}");
  }
}
