package io.tollgate.routing;

import io.tollgate.config.ListenerConfig.EscapedSlashes;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled route path pattern ({@link io.tollgate.config.RouteConfig#path()}).
 *
 * <p>Syntax: {@code /} followed by segments separated by {@code /}. A segment is a literal (already in the
 * canonical form of {@link PathNormalizer}), or a whole-segment parameter {@code {name}} (any non-empty segment),
 * {@code {name:int}} (ASCII digits fitting in a {@code long}) or {@code {name:uuid}} (8-4-4-4-12 hex). The pattern
 * may end in {@code /**}, which matches the remainder: zero or more further segments, so {@code /api/s1/**} matches
 * {@code /api/s1}, {@code /api/s1/} and {@code /api/s1/a/b} but not {@code /api/s1x}. Otherwise a trailing
 * {@code /} is significant: {@code /checks/} matches {@code /checks/} only.
 *
 * <p>Internally a path is the sequence of its segments, the last of which is empty when the path ends in
 * {@code /}; the pattern {@code /} is the single empty literal segment.
 *
 * <p>Immutable and thread-safe. {@link RouteTable} uses the compiled segments to build its trie; {@link #match}
 * matches this one pattern alone (tests, tools).
 */
public final class PathPattern {

  /** One segment: a literal ({@code type == null}) or a parameter of {@code type} named {@code text}. */
  record Segment(String text, ParamType type) {
    boolean isLiteral() {
      return type == null;
    }

    boolean matches(String path, int start, int end) {
      return type == null
          ? text.length() == end - start && path.startsWith(text, start)
          : type.accepts(path, start, end);
    }
  }

  private final String pattern;
  private final Segment[] segments;
  private final boolean remainder;
  private final String[] paramNames;

  private PathPattern(String pattern, Segment[] segments, boolean remainder, String[] paramNames) {
    this.pattern = pattern;
    this.segments = segments;
    this.remainder = remainder;
    this.paramNames = paramNames;
  }

  /**
   * @throws IllegalArgumentException with a message naming the problem, for a malformed pattern
   */
  public static PathPattern compile(String pattern) {
    if (pattern == null || !pattern.startsWith("/")) {
      throw bad(pattern, "must start with '/'");
    }
    boolean rest = pattern.endsWith("/**");
    String body = rest ? pattern.substring(0, pattern.length() - 3) : pattern;
    List<Segment> segs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    if (!body.isEmpty()) {
      int start = 1;
      while (true) {
        int end = body.indexOf('/', start);
        boolean last = end < 0;
        String text = body.substring(start, last ? body.length() : end);
        if (text.isEmpty() && (!last || rest)) {
          throw bad(pattern, "empty segment (\"//\")");
        }
        segs.add(segment(pattern, text, names));
        if (last) {
          break;
        }
        start = end + 1;
      }
    }
    return new PathPattern(pattern, segs.toArray(new Segment[0]), rest, names.toArray(new String[0]));
  }

  private static Segment segment(String pattern, String text, List<String> names) {
    if (text.startsWith("{") && text.endsWith("}") && text.length() > 2) {
      String inner = text.substring(1, text.length() - 1);
      int colon = inner.indexOf(':');
      String name = colon < 0 ? inner : inner.substring(0, colon);
      String typeName = colon < 0 ? "" : inner.substring(colon + 1);
      if (colon >= 0 && typeName.isEmpty()) {
        throw bad(pattern, "missing type after ':' in '" + text + "'");
      }
      ParamType type;
      try {
        type = ParamType.named(typeName);
      } catch (IllegalArgumentException e) {
        throw bad(pattern, e.getMessage());
      }
      if (!isName(name)) {
        throw bad(pattern, "parameter name '" + name + "' must match [A-Za-z_][A-Za-z0-9_]*");
      }
      if (names.contains(name)) {
        throw bad(pattern, "duplicate parameter '" + name + "'");
      }
      names.add(name);
      return new Segment(name, type);
    }
    if (text.contains("*")) {
      throw bad(pattern, "'*' is not a wildcard inside a segment; use {name} or a trailing /**");
    }
    if (text.indexOf('{') >= 0 || text.indexOf('}') >= 0) {
      throw bad(pattern, "a parameter must be a whole segment, like /{id}/");
    }
    String canonical;
    try {
      canonical = PathNormalizer.normalize("/" + text, EscapedSlashes.KEEP);
    } catch (BadPathException e) {
      throw bad(pattern, "literal segment '" + text + "': " + e.reason());
    }
    if (!canonical.equals("/" + text)) {
      throw bad(pattern, "literal segment '" + text + "' is not canonical; write '" + canonical.substring(1) + "'");
    }
    return new Segment(text, null);
  }

  static boolean isName(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static IllegalArgumentException bad(String pattern, String why) {
    return new IllegalArgumentException("bad path pattern '" + pattern + "': " + why);
  }

  /**
   * Matches a normalized path (output of {@link PathNormalizer}) against this pattern alone.
   *
   * @return the bound parameters, or {@code null} when the path does not match
   */
  public PathParams match(String normalizedPath) {
    String path = normalizedPath;
    if (path == null || path.isEmpty() || path.charAt(0) != '/') {
      return null;
    }
    int n = path.length();
    int pos = 0;
    String[] values = paramNames.length == 0 ? paramNames : new String[paramNames.length];
    int p = 0;
    for (Segment seg : segments) {
      if (pos >= n) {
        return null;
      }
      int start = pos + 1;
      int end = path.indexOf('/', start);
      if (end < 0) {
        end = n;
      }
      if (!seg.matches(path, start, end)) {
        return null;
      }
      if (!seg.isLiteral()) {
        values[p++] = path.substring(start, end);
      }
      pos = end;
    }
    if (!remainder && pos != n) {
      return null;
    }
    String rest = pos == n ? "" : path.substring(pos);
    return paramNames.length == 0 && rest.isEmpty() ? PathParams.EMPTY : new PathParams(paramNames, values, rest);
  }

  /** The pattern as written. */
  public String pattern() {
    return pattern;
  }

  /** Whether the pattern ends in {@code /**}. */
  public boolean hasRemainder() {
    return remainder;
  }

  /** Parameter names in pattern order. */
  public List<String> paramNames() {
    return List.of(paramNames);
  }

  /** Whether the pattern binds a parameter called {@code name}. */
  public boolean hasParam(String name) {
    return paramNames().contains(name);
  }

  Segment[] segments() {
    return segments.clone();
  }

  /** Shared, never modified: becomes the names array of every {@link PathParams} of this route. */
  String[] paramNameArray() {
    return paramNames;
  }

  @Override
  public String toString() {
    return pattern;
  }
}
