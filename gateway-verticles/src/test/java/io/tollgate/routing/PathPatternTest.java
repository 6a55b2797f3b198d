package io.tollgate.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PathPatternTest {

  @Test
  void literalPatternMatchesExactlyAndTrailingSlashIsSignificant() {
    PathPattern checks = PathPattern.compile("/checks/");
    assertThat(checks.match("/checks/")).isSameAs(PathParams.EMPTY);
    assertThat(checks.match("/checks")).isNull();
    assertThat(checks.match("/checks/x")).isNull();

    PathPattern noSlash = PathPattern.compile("/checks");
    assertThat(noSlash.match("/checks")).isSameAs(PathParams.EMPTY);
    assertThat(noSlash.match("/checks/")).isNull();
    assertThat(noSlash.match("/checksx")).isNull();

    PathPattern root = PathPattern.compile("/");
    assertThat(root.match("/")).isSameAs(PathParams.EMPTY);
    assertThat(root.match("/a")).isNull();
  }

  @Test
  void untypedParameterTakesAnyNonEmptySegment() {
    PathPattern p = PathPattern.compile("/users/{id}");
    assertThat(p.match("/users/abc").get("id")).isEqualTo("abc");
    assertThat(p.match("/users/")).isNull();
    assertThat(p.match("/users")).isNull();
    assertThat(p.match("/users/a/b")).isNull();
    assertThat(p.paramNames()).containsExactly("id");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "101", "9223372036854775807", "000000000000000000000000042"})
  void intParameterAcceptsDigitsThatFitInALong(String value) {
    PathParams params = PathPattern.compile("/monitors/{monitorId:int}").match("/monitors/" + value);
    assertThat(params).isNotNull();
    assertThat(params.get("monitorId")).isEqualTo(value);
    assertThat(params.getLong("monitorId")).isEqualTo(Long.parseLong(value));
  }

  @ParameterizedTest
  @ValueSource(strings = {"9223372036854775808", "99999999999999999999", "-1", "+1", "1a", "a1", "1.0", "1%20", "%31"})
  void intParameterRejectsOtherValues(String value) {
    assertThat(PathPattern.compile("/monitors/{monitorId:int}").match("/monitors/" + value)).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-426614174000"})
  void uuidParameterAcceptsHexOfEitherCase(String value) {
    assertThat(PathPattern.compile("/o/{id:uuid}").match("/o/" + value).get("id")).isEqualTo(value);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "123e4567-e89b-12d3-a456-42661417400", "123e4567-e89b-12d3-a456-4266141740000",
      "123e4567e89b-12d3-a456-4266141740000", "123e4567-e89b-12d3-a456_426614174000",
      "g23e4567-e89b-12d3-a456-426614174000", "123e4567e89b12d3a456426614174000"})
  void uuidParameterRejectsOtherValues(String value) {
    assertThat(PathPattern.compile("/o/{id:uuid}").match("/o/" + value)).isNull();
  }

  @ParameterizedTest(name = "{0} -> remainder ''{1}''")
  @CsvSource(delimiter = '|', value = {
      "/api/service1          | ''",
      "/api/service1/         | /",
      "/api/service1/a        | /a",
      "/api/service1/a/b/     | /a/b/",
  })
  void catchAllMatchesZeroOrMoreSegments(String path, String remainder) {
    PathPattern p = PathPattern.compile("/api/service1/**");
    assertThat(p.hasRemainder()).isTrue();
    assertThat(p.match(path).remainder()).isEqualTo(remainder);
  }

  @Test
  void catchAllDoesNotMatchAPrefixOfASegment() {
    PathPattern p = PathPattern.compile("/api/service1/**");
    assertThat(p.match("/api/service1x")).isNull();
    assertThat(p.match("/api/service")).isNull();
    assertThat(p.match("/api")).isNull();
  }

  @Test
  void rootCatchAllMatchesEverything() {
    PathPattern p = PathPattern.compile("/**");
    assertThat(p.match("/").remainder()).isEqualTo("/");
    assertThat(p.match("/a/b").remainder()).isEqualTo("/a/b");
  }

  @Test
  void parametersAndRemainderTogether() {
    PathParams params = PathPattern.compile("/t/{tenant}/{id:int}/**").match("/t/acme/7/x/y");
    assertThat(params.get("tenant")).isEqualTo("acme");
    assertThat(params.getLong("id")).isEqualTo(7L);
    assertThat(params.remainder()).isEqualTo("/x/y");
    assertThat(params.size()).isEqualTo(2);
    assertThat(params.name(1)).isEqualTo("id");
    assertThat(params.value(1)).isEqualTo("7");
  }

  @Test
  void valuesStayEncodedAndDecodeOnRequest() {
    PathParams params = PathPattern.compile("/files/{name}").match("/files/caf%C3%A9%20a+b%2Fc");
    assertThat(params.get("name")).isEqualTo("caf%C3%A9%20a+b%2Fc");
    assertThat(params.decoded("name")).isEqualTo("café a+b/c");
    assertThat(params.get("other")).isNull();
    assertThat(params.decoded("other")).isNull();
  }

  @Test
  void getLongOfAMissingParameterFails() {
    PathParams params = PathPattern.compile("/u/{name}").match("/u/bob");
    assertThatThrownBy(() -> params.getLong("id")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id");
    assertThatThrownBy(() -> params.getLong("name")).isInstanceOf(NumberFormatException.class);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''              | must start with '/'",
      "api/x           | must start with '/'",
      "/a//b           | empty segment",
      "/a//**          | empty segment",
      "/a/**/b         | '*' is not a wildcard",
      "/a/*            | '*' is not a wildcard",
      "/a/{id          | whole segment",
      "/a/x{id}        | whole segment",
      "/a/{}           | whole segment",
      "/a/{1x}         | parameter name '1x'",
      "/a/{**}         | parameter name '**'",
      "/a/{id:float}   | unknown parameter type 'float'",
      "/a/{id:}        | missing type",
      "/a/{id}/{id}    | duplicate parameter 'id'",
      "/a/../b         | not canonical",
      "/a/%2e          | not canonical",
      "/a/%7e          | not canonical; write '~'",
      "/a/b c          | invalid character in path",
      "/a/%zz          | invalid percent-encoding",
  })
  void rejectsBadPatterns(String pattern, String message) {
    assertThatThrownBy(() -> PathPattern.compile(pattern))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad path pattern '" + pattern + "'")
        .hasMessageContaining(message);
  }

  @Test
  void matchRejectsNonNormalizedInput() {
    assertThat(PathPattern.compile("/**").match("a")).isNull();
    assertThat(PathPattern.compile("/**").match("")).isNull();
    assertThat(PathPattern.compile("/**").match(null)).isNull();
  }
}
