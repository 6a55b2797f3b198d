package io.tollgate.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Binds a route's {@code rewrite:} section and checks its templates against the route's path pattern. */
final class RewriteBinder {

  /** Framing and hop-by-hop headers belong to the proxy; setting them invites request smuggling (RFC 9112 11.2). */
  private static final Set<String> UNSETTABLE_HEADERS = Set.of(
      "connection", "content-length", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
      "upgrade");

  private final PatternSyntax pattern;

  /** @param pattern the route's path pattern, or {@code null} when it is invalid (references go unchecked) */
  private RewriteBinder(PatternSyntax pattern) {
    this.pattern = pattern;
  }

  static RewriteConfig rewrite(Fields route, PatternSyntax pattern) {
    ConfigNode node = route.get("rewrite");
    return node == null ? RewriteConfig.NONE : new RewriteBinder(pattern).bind(node);
  }

  private RewriteConfig bind(ConfigNode node) {
    Fields f = node.fields("prefix", "path", "setQuery", "removeQuery", "setHeaders", "removeHeaders");
    String prefix = prefix(f.get("prefix"));
    String path = pathTemplate(f.get("path"));
    if (prefix != null && path != null) {
      node.error("prefix and path are mutually exclusive");
    }
    Map<String, String> setQuery = setQuery(f.get("setQuery"));
    List<String> removeQuery = names(f.get("removeQuery"), false);
    Map<String, String> setHeaders = setHeaders(f.get("setHeaders"));
    return new RewriteConfig(prefix, path, setQuery, removeQuery, setHeaders, names(f.get("removeHeaders"), true));
  }

  private String prefix(ConfigNode node) {
    String prefix = node == null ? null : node.string();
    if (prefix == null) {
      return null;
    }
    if (!prefix.startsWith("/")) {
      node.error("must start with '/'");
    } else if (prefix.length() > 1 && prefix.endsWith("/")) {
      node.error("must not end with '/': the rest of the path starts with one ('/' drops the matched part)");
    } else if (prefix.contains("{") || prefix.contains("}") || prefix.contains("*")) {
      node.error("must be a literal path (no parameters or wildcards)");
    } else {
      literalPath(node, prefix);
    }
    if (pattern != null && !pattern.catchAll()) {
      node.error("only allowed when the route path ends with '/**'");
    }
    return prefix;
  }

  private String pathTemplate(ConfigNode node) {
    String template = node == null ? null : node.string();
    if (template == null) {
      return null;
    }
    if (!template.startsWith("/")) {
      node.error("must start with '/'");
    } else if (template.contains("?")) {
      node.error("must not contain a query (use setQuery)");
    } else {
      String literal = placeholders(node, template, true);
      if (literal != null) {
        literalPath(node, literal);
      }
    }
    return template;
  }

  private Map<String, String> setQuery(ConfigNode node) {
    Map<String, String> query = new LinkedHashMap<>();
    entries(node).forEach((name, value) -> {
      String template = value.string();
      if (name.isEmpty()) {
        value.error("query parameter name must not be empty");
      } else if (template != null && placeholders(value, template, false) != null) {
        query.put(name, template);
      }
    });
    return query;
  }

  /** Checks the {@code {name}} references of a template; returns its literal text, or null when malformed. */
  private String placeholders(ConfigNode node, String template, boolean inPath) {
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      int open = template.indexOf('{', i);
      int close = template.indexOf('}', i);
      if (close >= 0 && (open < 0 || close < open)) {
        node.error("unmatched '}' in '" + template + "'");
        return null;
      } else if (open < 0) {
        literal.append(template, i, template.length());
        break;
      } else if (close < 0) {
        node.error("unclosed '{' in '" + template + "'");
        return null;
      }
      literal.append(template, i, open);
      reference(node, template.substring(open + 1, close), inPath);
      i = close + 1;
    }
    return literal.toString();
  }

  private void reference(ConfigNode node, String name, boolean inPath) {
    if (name.equals("**")) {
      if (!inPath) {
        node.error("{**} is only allowed in rewrite.path");
      } else if (pattern != null && !pattern.catchAll()) {
        node.error("{**} needs a route path ending with '/**'");
      }
    } else if (pattern != null && !pattern.params().contains(name)) {
      node.error("{" + name + "} is not a parameter of the route path"
          + (pattern.params().isEmpty() ? " (it has none)" : " (it has: " + String.join(", ", pattern.params()) + ")"));
    }
  }

  private static void literalPath(ConfigNode node, String path) {
    for (String segment : path.split("/")) {
      String problem = Syntax.segmentCharProblem(segment);
      if (problem != null) {
        node.error(problem);
        return;
      }
    }
  }

  private static Map<String, String> setHeaders(ConfigNode node) {
    Map<String, String> headers = new LinkedHashMap<>();
    Map<String, String> seen = new HashMap<>();
    entries(node).forEach((name, value) -> {
      String text = value.string();
      String lower = name.toLowerCase(Locale.ROOT);
      if (!Syntax.isToken(name)) {
        value.error("invalid header name");
      } else if (UNSETTABLE_HEADERS.contains(lower)) {
        value.error("cannot set " + name + ": the proxy manages hop-by-hop and framing headers");
      } else if (seen.putIfAbsent(lower, name) != null) {
        value.error("duplicate header (header names are case-insensitive: see " + seen.get(lower) + ")");
      } else if (text != null && text.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f)) {
        value.error("header value must not contain control characters such as CR or LF");
      } else if (text != null) {
        headers.put(name, text);
      }
    });
    return headers;
  }

  /** Query parameter names, or header names when {@code tokens}. */
  private static List<String> names(ConfigNode node, boolean tokens) {
    List<String> names = new ArrayList<>();
    for (ConfigNode item : node == null ? List.<ConfigNode>of() : node.list()) {
      String name = item.string();
      if (name != null && (name.isEmpty() || (tokens && !Syntax.isToken(name)))) {
        item.error(tokens ? "invalid header name '" + name + "'" : "must not be empty");
      } else if (name != null) {
        names.add(name);
      }
    }
    return names;
  }

  private static Map<String, ConfigNode> entries(ConfigNode node) {
    return node == null ? Map.of() : node.entries();
  }
}
