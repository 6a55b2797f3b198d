package io.tollgate.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** JSON string escaping of access-log values (RFC 8259 §7). */
class AccessLogEscapeTest {

  @Test
  void quotesBackslashesAndCommonControlsGetShortEscapes() {
    assertThat(escape("say \"hi\"")).isEqualTo("say \\\"hi\\\"");
    assertThat(escape("C:\\path")).isEqualTo("C:\\\\path");
    assertThat(escape("a\nb\rc\td")).isEqualTo("a\\nb\\rc\\td");
  }

  @Test
  void otherControlCharactersBecomeUnicodeEscapes() {
    assertThat(escape("\u0000")).isEqualTo("\\u0000");
    assertThat(escape("\u0001x\u001b[31m")).isEqualTo("\\u0001x\\u001b[31m");
    assertThat(escape("\u001f")).isEqualTo("\\u001f");
    assertThat(escape("\b\f")).isEqualTo("\\u0008\\u000c");
  }

  @Test
  void everythingElseIsCopied() {
    assertThat(escape("")).isEmpty();
    assertThat(escape("/api/v1/users?x=1 & y'<>/")).isEqualTo("/api/v1/users?x=1 & y'<>/");
    assertThat(escape("\u007f caf\u00e9 \u2028 \uD83D\uDE00")).isEqualTo("\u007f caf\u00e9 \u2028 \uD83D\uDE00");
  }

  @ParameterizedTest
  @ValueSource(strings = {"plain", "\"}, \"injected\": \"x", "line\nbreak", "\\\"", "\u0000\u0001\u001f\u0020",
      "GET /a\r\nX-Log-Forge: 1"})
  void escapedValuesParseBackToTheOriginal(String value) {
    String json = "{\"v\":\"" + escape(value) + "\"}";

    JsonObject parsed = new JsonObject(json);

    assertThat(parsed.fieldNames()).containsExactly("v");
    assertThat(parsed.getString("v")).isEqualTo(value);
  }

  private static String escape(String s) {
    StringBuilder sb = new StringBuilder("");
    AccessLog.escape(sb, s);
    return sb.toString();
  }
}
