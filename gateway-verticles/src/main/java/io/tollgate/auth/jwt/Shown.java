package io.tollgate.auth.jwt;

/**
 * Renders untrusted values (a token's {@code kid}, {@code alg}, {@code iss}; a JWK's {@code kid}) for problem
 * details and logs: quoted, printable ASCII only, at most {@value #MAX_CHARS} characters, so a crafted value
 * can neither forge log lines nor flood them.
 */
final class Shown {

  private static final int MAX_CHARS = 40;

  private Shown() {
  }

  static String quoted(Object value) {
    if (value == null) {
      return "(none)";
    }
    if (!(value instanceof String s)) {
      return "(a JSON " + jsonType(value) + ")";
    }
    StringBuilder out = new StringBuilder(Math.min(s.length(), MAX_CHARS) + 3).append('"');
    for (int i = 0; i < s.length() && i < MAX_CHARS; i++) {
      char c = s.charAt(i);
      out.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '?');
    }
    return out.append(s.length() > MAX_CHARS ? "\"..." : "\"").toString();
  }

  static String jsonType(Object value) {
    if (value instanceof String) {
      return "string";
    } else if (value instanceof Number) {
      return "number";
    } else if (value instanceof Boolean) {
      return "boolean";
    } else if (value instanceof io.vertx.core.json.JsonArray) {
      return "array";
    } else if (value instanceof io.vertx.core.json.JsonObject) {
      return "object";
    }
    return value == null ? "null" : "value";
  }
}
