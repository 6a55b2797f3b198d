package io.tollgate.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Binds {@code routes:}, checking ids for uniqueness, service references against the declared services, and
 * auth rules against the declared issuers and keys.
 */
final class RouteBinder {

  private static final String[] FIELDS = {
      "id", "path", "methods", "hosts", "service", "rewrite", "timeouts", "maxBodySize", "preserveHost", "auth",
      "rateLimit", "concurrency", "ownership", "websocket"};

  private final Set<String> services;
  private final AuthConfig auth;
  private final RateLimitingConfig rateLimiting;
  private final OwnershipConfig ownership;
  private final Map<String, String> firstPathById = new HashMap<>();

  private RouteBinder(Set<String> services, AuthConfig auth, RateLimitingConfig rateLimiting,
      OwnershipConfig ownership) {
    this.ownership = ownership;
    this.services = services;
    this.auth = auth;
    this.rateLimiting = rateLimiting;
  }

  /** @param services the names of all declared services */
  static List<RouteConfig> routes(Fields root, Set<String> services, AuthConfig auth,
      RateLimitingConfig rateLimiting, OwnershipConfig ownership) {
    ConfigNode node = root.get("routes");
    List<RouteConfig> routes = new ArrayList<>();
    if (node != null) {
      RouteBinder binder = new RouteBinder(services, auth, rateLimiting, ownership);
      node.list().forEach(route -> routes.add(binder.route(route)));
    }
    return routes;
  }

  private RouteConfig route(ConfigNode node) {
    Fields f = node.fields(FIELDS);
    String id = id(f.required("id"), node.path());
    ConfigNode pathNode = f.required("path");
    String path = pathNode == null ? null : pathNode.string();
    PatternSyntax pattern = path == null ? null : pattern(pathNode, path);
    RouteAuthConfig routeAuth = AuthBinder.route(f, path, auth);
    return new RouteConfig(
        id,
        path == null ? "" : path,
        methods(f.get("methods")),
        hosts(f.get("hosts")),
        service(f.required("service")),
        RewriteBinder.rewrite(f, pattern),
        ServiceBinder.timeouts(f),
        f.size("maxBodySize", null, 0, Long.MAX_VALUE),
        f.bool("preserveHost", false),
        routeAuth,
        RateLimitBinder.route(f, rateLimiting),
        RateLimitBinder.concurrency(f),
        OwnershipBinder.route(f, pattern == null ? null : pattern.params(), routeAuth, auth, ownership),
        WebSocketBinder.route(f));
  }

  private String id(ConfigNode node, String routePath) {
    String id = node == null ? null : node.string();
    if (id == null) {
      return "";
    }
    if (!Syntax.isName(id)) {
      node.error("invalid route id '" + id + "' (" + Syntax.NAME_RULE + ")");
    }
    String first = firstPathById.putIfAbsent(id, routePath);
    if (first != null) {
      node.error("duplicate route id '" + id + "' (first at " + first + ")");
    }
    return id;
  }

  /** The pattern, or {@code null} when missing or invalid so that rewrite references are not checked against it. */
  private static PatternSyntax pattern(ConfigNode node, String path) {
    List<String> problems = new ArrayList<>();
    PatternSyntax pattern = PatternSyntax.parse(path, problems);
    if (problems.isEmpty()) {
      // The router has the final word, so config can never accept a pattern the route table would refuse.
      try {
        io.tollgate.routing.PathPattern.compile(path);
      } catch (IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
    problems.forEach(node::error);
    return problems.isEmpty() ? pattern : null;
  }

  private static Set<String> methods(ConfigNode node) {
    Set<String> methods = new LinkedHashSet<>();
    for (ConfigNode item : node == null ? List.<ConfigNode>of() : node.list()) {
      String method = item.string();
      if (method != null && !Syntax.isToken(method)) {
        item.error("invalid method '" + method + "'");
      } else if (method != null) {
        methods.add(method.toUpperCase(Locale.ROOT));
      }
    }
    return methods;
  }

  private static List<String> hosts(ConfigNode node) {
    List<String> hosts = new ArrayList<>();
    for (ConfigNode item : node == null ? List.<ConfigNode>of() : node.list()) {
      String host = item.string();
      String problem = host == null ? null : hostProblem(host);
      if (problem != null) {
        item.error(problem);
      } else if (host != null) {
        hosts.add(host.toLowerCase(Locale.ROOT));
      }
    }
    return hosts;
  }

  /** {@code Host} header values without port: names, {@code *.} wildcards, IPv4, bracketed IPv6. */
  private static String hostProblem(String host) {
    String name = host.startsWith("*.") ? host.substring(2) : host;
    if (IpAddresses.parse(host) != null && host.contains(":")) {
      return "write IPv6 addresses in brackets: '[" + host + "]'";
    } else if (host.equals("*")) {
      return "'*' is not a host: leave hosts out to match any host";
    } else if (name.matches("[^\\[\\]]*:[0-9]*") || name.matches("\\[.*\\]:[0-9]*")) {
      return "'" + host + "' must not include a port";
    } else if (name.startsWith("[") && name.endsWith("]")) {
      String literal = name.substring(1, name.length() - 1);
      return literal.contains(":") && IpAddresses.parse(literal) != null ? null : "invalid IPv6 address '" + host + "'";
    } else if (!Syntax.isHostName(name)) {
      return "invalid host '" + host + "' (expected a host name, '*.' followed by one, or an IP address)";
    }
    return null;
  }

  private String service(ConfigNode node) {
    String service = node == null ? null : node.string();
    if (service != null && !services.contains(service)) {
      String guess = Syntax.closest(service, services, 2);
      node.error("unknown service '" + service + "'" + (guess == null ? "" : " (did you mean '" + guess + "'?)"));
    }
    return service == null ? "" : service;
  }
}
