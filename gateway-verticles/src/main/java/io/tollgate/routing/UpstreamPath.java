package io.tollgate.routing;

import io.tollgate.config.ListenerConfig.EscapedSlashes;
import io.tollgate.config.RewriteConfig;
import io.tollgate.config.RouteConfig;
import java.util.List;

/**
 * Computes the path sent upstream for a matched route, from its {@link RewriteConfig} and the chosen target's
 * {@code basePath} ({@code ""} or {@code /x}, never ending in {@code /}). Compiled once per route; immutable and
 * shared by all event loops.
 *
 * <ul>
 *   <li>No rewrite: {@code basePath + normalizedPath} (the normalized path itself when {@code basePath} is
 *       empty, without allocating).</li>
 *   <li>{@code prefix}: replaces the literal part before {@code /**}: {@code basePath + prefix + remainder} with no
 *       doubled slash. With pattern {@code /api/service1/**} and prefix {@code /api}: {@code /api/service1/orders}
 *       → {@code /api/orders}, {@code /api/service1} → {@code /api}, {@code /api/service1/} → {@code /api/};
 *       with prefix {@code /}: {@code /api/service1/x} → {@code /x} and {@code /api/service1} → {@code /}.</li>
 *   <li>{@code path} template: {@code basePath} + the template with {@code {param}} replaced by the raw
 *       (still percent-encoded, so never a raw {@code /}) parameter and {@code {**}} by the remainder; a
 *       {@code /} before {@code {**}} is not doubled when the remainder starts with one.</li>
 * </ul>
 * Everything inserted comes from the normalized path or from the validated config, so the result is already
 * encoded for the request line.
 */
public final class UpstreamPath {

  private final String prefix;
  private final String prefixWithoutSlash;
  private final Template.Part[] template;

  private UpstreamPath(String prefix, Template.Part[] template) {
    this.prefix = prefix;
    this.prefixWithoutSlash = prefix == null || !prefix.endsWith("/") ? prefix : prefix.substring(0, prefix.length() - 1);
    this.template = template;
  }

  /** Compiles {@code route.rewrite()} against {@code route.path()}. */
  public static UpstreamPath compile(RouteConfig route) {
    return compile(PathPattern.compile(route.path()), route.rewrite());
  }

  /**
   * @throws IllegalArgumentException when {@code prefix} is used without {@code /**}, both {@code prefix} and
   *                                  {@code path} are set, or either is not a valid path / template
   */
  public static UpstreamPath compile(PathPattern pattern, RewriteConfig rewrite) {
    String prefix = rewrite.prefix();
    String path = rewrite.path();
    if (prefix != null && path != null) {
      throw new IllegalArgumentException("rewrite.prefix and rewrite.path are mutually exclusive");
    }
    if (prefix != null) {
      if (!pattern.hasRemainder()) {
        throw new IllegalArgumentException("rewrite.prefix needs a path pattern ending in /**, not " + pattern);
      }
      checkPath(prefix, "rewrite.prefix");
      return new UpstreamPath(prefix, null);
    }
    if (path != null) {
      List<Template.Part> parts = Template.parse(path, pattern, true, "rewrite.path");
      if (parts.isEmpty() || parts.get(0).kind() != Template.Kind.LITERAL) {
        throw new IllegalArgumentException("bad rewrite.path '" + path + "': must start with '/'");
      }
      for (Template.Part part : parts) {
        if (part.kind() == Template.Kind.LITERAL) {
          checkPath(part.text(), "rewrite.path");
        }
      }
      return new UpstreamPath(null, parts.toArray(new Template.Part[0]));
    }
    return new UpstreamPath(null, null);
  }

  /** Literal path text must be valid and must not contain dot segments (it goes upstream as is). */
  private static void checkPath(String text, String what) {
    String probe = text.startsWith("/") ? text : "/" + text;
    String why = null;
    try {
      if (!PathNormalizer.normalize(probe, EscapedSlashes.KEEP).equals(probe)) {
        why = "not canonical (dot segments, '//', '\\\\', lower-case or needless escapes)";
      }
    } catch (BadPathException e) {
      why = e.reason();
    }
    if (why != null || (what.equals("rewrite.prefix") && !text.startsWith("/"))) {
      throw new IllegalArgumentException("bad " + what + " '" + text + "': " + (why == null ? "must start with '/'" : why));
    }
  }

  /**
   * @param basePath       the target's base path, {@code ""} or {@code /x}; {@code null} is taken as {@code ""}
   * @param normalizedPath the path that was matched
   * @param params         the parameters of the {@link RouteMatch.Found} for this route
   */
  public String build(String basePath, String normalizedPath, PathParams params) {
    String base = basePath == null ? "" : basePath;
    if (template != null) {
      if (template.length == 1 && template[0].kind() == Template.Kind.LITERAL) {
        String constant = template[0].text();
        return base.isEmpty() ? constant : base + constant;
      }
      return expand(base, params);
    }
    if (prefix != null) {
      String rest = params.remainder();
      return rest.isEmpty() ? base + prefix : base + prefixWithoutSlash + rest;
    }
    return base.isEmpty() ? normalizedPath : base + normalizedPath;
  }

  private String expand(String base, PathParams params) {
    StringBuilder sb = new StringBuilder(base.length() + 64).append(base);
    for (Template.Part part : template) {
      switch (part.kind()) {
        case LITERAL -> sb.append(part.text());
        case PARAM -> {
          String value = params.get(part.text());
          if (value == null) {
            throw new IllegalArgumentException("no path parameter '" + part.text() + "' in " + params);
          }
          sb.append(value);
        }
        case REMAINDER -> {
          String rest = params.remainder();
          boolean doubled = !rest.isEmpty() && sb.length() > 0 && sb.charAt(sb.length() - 1) == '/';
          sb.append(rest, doubled ? 1 : 0, rest.length());
        }
      }
    }
    return sb.toString();
  }
}
