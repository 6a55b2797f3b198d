package io.tollgate.routing;

import java.util.ArrayList;
import java.util.List;

/**
 * A rewrite template split once, at compile time, into literal text, {@code {param}} and {@code {**}} parts, so
 * that expanding it per request is a loop of appends. Immutable.
 */
final class Template {

  /** What a part inserts. */
  enum Kind { LITERAL, PARAM, REMAINDER }

  /** {@code text} is the literal text, or the parameter name. */
  record Part(Kind kind, String text) {
  }

  private Template() {
  }

  /**
   * @param what           how to name the template in error messages, e.g. {@code "rewrite.path"}
   * @param allowRemainder whether {@code {**}} is allowed (and the pattern ends in {@code /**})
   * @throws IllegalArgumentException for unbalanced braces or unknown parameters
   */
  static List<Part> parse(String template, PathPattern pattern, boolean allowRemainder, String what) {
    List<Part> parts = new ArrayList<>();
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      int close = template.indexOf('}', i);
      if (close >= 0 && (open < 0 || close < open)) {
        throw bad(what, template, "'}' without '{'");
      }
      if (open < 0) {
        parts.add(new Part(Kind.LITERAL, template.substring(i)));
        break;
      }
      if (open > i) {
        parts.add(new Part(Kind.LITERAL, template.substring(i, open)));
      }
      if (close < 0) {
        throw bad(what, template, "'{' without '}'");
      }
      String name = template.substring(open + 1, close);
      if (name.equals("**")) {
        if (!allowRemainder || !pattern.hasRemainder()) {
          throw bad(what, template, "{**} needs a path pattern ending in /**");
        }
        parts.add(new Part(Kind.REMAINDER, name));
      } else if (pattern.hasParam(name)) {
        parts.add(new Part(Kind.PARAM, name));
      } else {
        throw bad(what, template, "unknown parameter {" + name + "}; the path " + pattern.pattern()
            + " has " + pattern.paramNames());
      }
      i = close + 1;
    }
    return List.copyOf(parts);
  }

  private static IllegalArgumentException bad(String what, String template, String why) {
    return new IllegalArgumentException("bad " + what + " '" + template + "': " + why);
  }
}
