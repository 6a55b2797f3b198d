package io.tollgate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The syntax of a route path pattern, checked at load time: {@code /orders/{id:int}/items/**}. The router
 * compiles patterns itself; this only validates and tells the rewrite checks which parameters exist.
 *
 * <p>Segments are literals (RFC 3986 {@code pchar}, {@code %XX} escapes), {@code {name}}, {@code {name:int}}
 * or {@code {name:uuid}}; {@code /**} may only end the pattern; a trailing {@code /} is allowed.
 *
 * @param params   parameter names in order
 * @param catchAll the pattern ends with {@code /**}
 */
record PatternSyntax(List<String> params, boolean catchAll) {

  private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final List<String> PARAM_TYPES = List.of("int", "uuid");

  PatternSyntax {
    params = List.copyOf(params);
  }

  /** Parses {@code pattern}, adding a message to {@code problems} for each problem found. */
  static PatternSyntax parse(String pattern, List<String> problems) {
    if (!pattern.startsWith("/")) {
      problems.add("must start with '/'");
      return new PatternSyntax(List.of(), false);
    }
    boolean catchAll = pattern.endsWith("/**");
    String body = catchAll ? pattern.substring(0, pattern.length() - 3) : pattern;
    List<String> params = new ArrayList<>();
    if (!body.isEmpty()) {
      String[] segments = body.substring(1).split("/", -1);
      for (int i = 0; i < segments.length; i++) {
        boolean last = i == segments.length - 1;
        if (segments[i].isEmpty() && (!last || catchAll)) {
          problems.add("empty segment ('//')");
        } else {
          segment(segments[i], params, problems);
        }
      }
    }
    return new PatternSyntax(params, catchAll);
  }

  private static void segment(String segment, List<String> params, List<String> problems) {
    if (segment.startsWith("{") && segment.endsWith("}")) {
      param(segment, segment.substring(1, segment.length() - 1), params, problems);
    } else if (segment.contains("{") || segment.contains("}")) {
      problems.add("a parameter must be a whole segment: '" + segment + "'");
    } else if (segment.contains("*")) {
      problems.add("'" + segment + "': '*' is only allowed in a final '/**'");
    } else if (segment.equals(".") || segment.equals("..")) {
      problems.add("'.' and '..' segments never match a normalised path");
    } else {
      String problem = Syntax.segmentCharProblem(segment);
      if (problem != null) {
        problems.add(problem);
      }
    }
  }

  private static void param(String segment, String inner, List<String> params, List<String> problems) {
    int colon = inner.indexOf(':');
    String name = colon < 0 ? inner : inner.substring(0, colon);
    if (!PARAM_NAME.matcher(name).matches()) {
      problems.add(
          "invalid parameter name in '" + segment + "' (use letters, digits and '_', not starting with a digit)");
    } else if (params.contains(name)) {
      problems.add("duplicate parameter '" + name + "'");
    } else {
      params.add(name);
    }
    if (colon >= 0 && !PARAM_TYPES.contains(inner.substring(colon + 1))) {
      problems.add("unknown parameter type in '" + segment + "' (expected int or uuid)");
    }
  }
}
