package io.tollgate.routing;

import static io.tollgate.config.ListenerConfig.EscapedSlashes.KEEP;
import static io.tollgate.config.ListenerConfig.EscapedSlashes.REJECT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.config.ListenerConfig.EscapedSlashes;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathNormalizerTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "/", "/api/v1/monitors/101/checks/", "/a/b", "/a/b/", "/a%20b", "/%C3%A9t%C3%A9",
      "/a:b@c!$&'()*+,;=", "/a/..b/.c/c./...", "/%252e%252e/", "/~user/file-1_2.txt"})
  void canonicalPathIsReturnedAsTheSameInstance(String path) {
    assertThat(PathNormalizer.normalize(path, REJECT)).isSameAs(path);
    assertThat(PathNormalizer.normalize(path, KEEP)).isSameAs(path);
  }

  @Test
  void keptEncodedSlashIsCanonicalInKeepMode() {
    String path = "/files/a%2Fb%5Cc";
    assertThat(PathNormalizer.normalize(path, KEEP)).isSameAs(path);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "/api/service1/../admin          | /api/admin",
      "/api/service1/%2e%2e/admin      | /api/admin",
      "/api/service1/%2E%2e/admin      | /api/admin",
      "/api/service1/.%2E/admin        | /api/admin",
      "/api/service1/..\\admin         | /api/admin",
      "/api/service1\\..\\..\\admin    | /admin",
      "//api//service1//x              | /api/service1/x",
      "/../a                           | /a",
      "/..                             | /",
      "/%2e%2e/%2e%2e/etc/passwd       | /etc/passwd",
      "/a/b/../../../c                 | /c",
      "/a/b/.                          | /a/b/",
      "/a/b/%2e                        | /a/b/",
      "/a/..                           | /",
      "/a/b/..                         | /a/",
      "/a/./b                          | /a/b",
      "/./                             | /",
      "/a//                            | /a/",
      "///                             | /",
      "/a\\b                           | /a/b",
      "/%41%62%7e%2D%5f%2E%30          | /Ab~-_.0",
      "/caf%c3%a9%3f                   | /caf%C3%A9%3F",
      "/a%2e%2e                        | /a..",
  })
  void normalizes(String raw, String expected) {
    assertThat(PathNormalizer.normalize(raw, REJECT)).isEqualTo(expected);
    assertThat(PathNormalizer.normalize(raw, KEEP)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/api/service1/%2E%2E%2Fadmin", "/a%2fb", "/a%2Fb", "/a%5cb", "/a%5Cb", "/%2F"})
  void encodedSlashIsRejectedInRejectMode(String raw) {
    assertThatThrownBy(() -> PathNormalizer.normalize(raw, REJECT))
        .isInstanceOf(BadPathException.class)
        .hasMessage("encoded slash");
  }

  @Test
  void encodedSlashStaysInsideTheSegmentInKeepMode() {
    // "..%2Fadmin" is one segment, not a dot segment: the upstream sees the same thing we matched.
    assertThat(PathNormalizer.normalize("/api/service1/%2E%2E%2Fadmin", KEEP)).isEqualTo("/api/service1/..%2Fadmin");
    assertThat(PathNormalizer.normalize("/api/service1/%2e%2e%5cadmin", KEEP)).isEqualTo("/api/service1/..%5Cadmin");
    assertThat(PathNormalizer.normalize("/a%2fb/../c", KEEP)).isEqualTo("/c");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "/a%       | invalid percent-encoding",
      "/a%2      | invalid percent-encoding",
      "/a%zz     | invalid percent-encoding",
      "/a%g1/b   | invalid percent-encoding",
      "/a%%41    | invalid percent-encoding",
      "/a%00b    | encoded NUL",
      "'/a b'    | invalid character in path",
      "/a?b      | invalid character in path",
      "/a#b      | invalid character in path",
      "/a<b>     | invalid character in path",
      "/a\"b     | invalid character in path",
      "/a{b}     | invalid character in path",
      "'/a|b'    | invalid character in path",
      "/a^b      | invalid character in path",
      "/a`b      | invalid character in path",
      "/a[0]     | invalid character in path",
      "/caf\u00e9 | invalid character in path",
      "*         | path must start with '/'",
      "a/b       | path must start with '/'",
      "\\a       | path must start with '/'",
      "http://h/ | path must start with '/'",
  })
  void rejects(String raw, String reason) {
    for (EscapedSlashes mode : EscapedSlashes.values()) {
      assertThatThrownBy(() -> PathNormalizer.normalize(raw, mode))
          .isInstanceOfSatisfying(BadPathException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/a\u0000b", "/a\tb", "/a\r\nb", "/a\u007f", "/\u0085"})
  void rejectsEmptyAndControlCharacters(String raw) {
    assertThatThrownBy(() -> PathNormalizer.normalize(raw, REJECT)).isInstanceOf(BadPathException.class);
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> PathNormalizer.normalize(null, REJECT)).isInstanceOf(BadPathException.class);
  }

  @Test
  void badPathExceptionIsCheapAndCarriesNoInput() {
    BadPathException e = new BadPathException("encoded slash");
    assertThat(e.getStackTrace()).isEmpty();
    assertThat(e.reason()).isEqualTo("encoded slash");
  }

  @ParameterizedTest
  @EnumSource(EscapedSlashes.class)
  void resultIsCanonicalForRandomInput(EscapedSlashes mode) {
    String alphabet = "//\\\\..%%2eEfF5cC0a1b";
    Random random = new Random(42);
    int accepted = 0;
    for (int run = 0; run < 20_000; run++) {
      StringBuilder sb = new StringBuilder("/");
      int len = random.nextInt(16);
      for (int i = 0; i < len; i++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String normalized;
      try {
        normalized = PathNormalizer.normalize(sb.toString(), mode);
      } catch (BadPathException e) {
        continue;
      }
      accepted++;
      assertThat(PathNormalizer.normalize(normalized, mode)).as(sb.toString()).isSameAs(normalized);
      assertThat(normalized).as(sb.toString())
          .startsWith("/").doesNotContain("//").doesNotContain("\\").doesNotContain("/./").doesNotContain("/../")
          .doesNotEndWith("/.").doesNotEndWith("/..");
    }
    assertThat(accepted).isGreaterThan(1000);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "/api/service1/..;/admin", "/api/service1/..;jsessionid=x/admin", "/api/service1/%2e%2e;/admin",
      "/api/service1/.;/admin", "/a/..;", "/..;/x"})
  void dotSegmentsWithParametersAreRefused(String path) {
    for (EscapedSlashes mode : EscapedSlashes.values()) {
      assertThatThrownBy(() -> PathNormalizer.normalize(path, mode))
          .isInstanceOf(BadPathException.class)
          .hasMessageContaining("dot segment with parameters");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a/b;v=1/c", "/a/.x;y", "/a/...;", "/;/x"})
  void otherSegmentsWithParametersStayAsTheyAre(String path) {
    assertThat(PathNormalizer.normalize(path, EscapedSlashes.REJECT)).isEqualTo(path);
  }
}
