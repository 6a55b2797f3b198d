package io.tollgate.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code ${NAME}} and {@code ${NAME:default}} in string scalars, applied after YAML parsing so that a value
 * can never inject YAML structure. <code>$${</code> is a literal <code>${</code>; any other {@code $} is
 * literal too.
 *
 * <p>A variable that is set, even to the empty string, wins over the default. Defaults are taken literally
 * (no nesting) and end at the first <code>}</code>.
 *
 * <p>{@code ${file:/run/secrets/name}} is the content of that file (UTF-8, one trailing newline removed): secrets
 * mounted as files (Kubernetes, Docker) without passing through the environment. Reading it blocks, like loading
 * the config does: callers are off the event loop.
 */
final class EnvSubstitution {

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String FILE = "file:";
  private static final long MAX_FILE = 64 * 1024;

  /**
   * @param value  the text with expressions replaced (meaningless when there are errors)
   * @param errors problems such as unset variables, empty when the substitution succeeded
   */
  record Result(String value, List<String> errors) {
  }

  private EnvSubstitution() {
  }

  /** Whether {@code text} is exactly one {@code ${...}} expression (so its value may be coerced). */
  static boolean isExpression(String text) {
    return text.startsWith("${") && text.indexOf('}') == text.length() - 1;
  }

  static Result apply(String text, Map<String, String> env) {
    if (text.indexOf('$') < 0) {
      return new Result(text, List.of());
    }
    StringBuilder out = new StringBuilder(text.length());
    List<String> errors = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (text.startsWith("${", i)) {
        int end = text.indexOf('}', i + 2);
        if (end < 0) {
          errors.add("unterminated '${' (write '$${' for a literal '${')");
          break;
        }
        String value = resolve(text.substring(i + 2, end), env, errors);
        out.append(value == null ? "" : value);
        i = end + 1;
      } else {
        out.append(text.charAt(i++));
      }
    }
    return new Result(out.toString(), errors);
  }

  private static String resolve(String expression, Map<String, String> env, List<String> errors) {
    if (expression.startsWith(FILE)) {
      return readFile(expression.substring(FILE.length()), errors);
    }
    int colon = expression.indexOf(':');
    String name = colon < 0 ? expression : expression.substring(0, colon);
    String fallback = colon < 0 ? null : expression.substring(colon + 1);
    if (!NAME.matcher(name).matches()) {
      errors.add("invalid environment variable name '" + name + "' in '${" + expression + "}'");
      return null;
    }
    if (fallback != null && fallback.contains("${")) {
      errors.add("nested '${' in the default of '${" + expression + "}' is not supported");
      return null;
    }
    String value = env.get(name);
    if (value == null && fallback == null) {
      errors.add("environment variable " + name + " is not set");
    }
    return value != null ? value : fallback;
  }

  private static String readFile(String name, List<String> errors) {
    java.nio.file.Path path;
    try {
      path = java.nio.file.Path.of(name);
    } catch (java.nio.file.InvalidPathException e) {
      errors.add("invalid secret file name '" + name + "'");
      return null;
    }
    if (!path.isAbsolute()) {
      errors.add("secret file '" + name + "' must be an absolute path");
      return null;
    }
    try (java.io.InputStream in = java.nio.file.Files.newInputStream(path)) {
      // Read at most the limit plus one byte: sizes of special files (/proc) are not to be trusted.
      byte[] bytes = in.readNBytes((int) MAX_FILE + 1);
      if (bytes.length > MAX_FILE) {
        errors.add("secret file " + name + " is larger than 64 KiB");
        return null;
      }
      String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
      return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
          : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    } catch (java.io.IOException e) {
      // The reason, never the content.
      errors.add("cannot read secret file " + name + ": " + e.getClass().getSimpleName());
      return null;
    }
  }
}
