package io.tollgate.config;

import java.util.Collection;
import java.util.regex.Pattern;

/** Small lexical checks shared by the binders. */
final class Syntax {

  /** How {@link #isName} names are formed, for error messages. */
  static final String NAME_RULE = "use letters, digits, '.', '_' and '-', starting with a letter or digit";

  /** Route ids and service names: they show up in logs, metrics and URLs. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  /** RFC 9110 section 5.6.2 {@code token}: methods and header field names. */
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  /** DNS names, leniently: underscores occur in real internal names. */
  private static final Pattern HOST_NAME =
      Pattern.compile("(?=.{1,253}$)[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?"
          + "(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*");
  /** RFC 3986 {@code pchar} without {@code pct-encoded}, which is checked separately. */
  private static final String PCHAR = "-._~!$&'()*+,;=:@";

  private Syntax() {
  }

  static boolean isName(String s) {
    return NAME.matcher(s).matches();
  }

  static boolean isToken(String s) {
    return TOKEN.matcher(s).matches();
  }

  static boolean isHostName(String s) {
    return HOST_NAME.matcher(s).matches();
  }

  /**
   * The first problem with a path segment's characters (RFC 3986 {@code pchar}, {@code %XX} escapes), or
   * {@code null} when they are all allowed.
   */
  static String segmentCharProblem(String segment) {
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%') {
        if (i + 2 >= segment.length() || hex(segment.charAt(i + 1)) < 0 || hex(segment.charAt(i + 2)) < 0) {
          return "bad percent-escape in '" + segment + "'";
        }
        i += 2;
      } else if (!(c < 128 && Character.isLetterOrDigit(c)) && PCHAR.indexOf(c) < 0) {
        return "character '" + c + "' must be percent-encoded in '" + segment + "'";
      }
    }
    return null;
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }

  /** The candidate closest to {@code name} within {@code maxDistance} edits (first one on ties), or null. */
  static String closest(String name, Collection<String> candidates, int maxDistance) {
    String best = null;
    int bestDistance = maxDistance + 1;
    for (String candidate : candidates) {
      int d = editDistance(name, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Levenshtein distance. */
  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
