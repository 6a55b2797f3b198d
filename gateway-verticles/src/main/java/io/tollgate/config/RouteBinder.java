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
      "rateLimit", "concurrency", "ownership", "retry", "retryNonIdempotent",
      "fallback", "services", "canary", "websocket"};

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
      List<ConfigNode> nodes = node.list();
      nodes.forEach(route -> routes.add(binder.route(route)));
      conflicts(nodes, routes);
    }
    return routes;
  }

  /**
   * A route that can never match because an earlier one has the same path shape (parameter names aside), the same
   * hosts and overlapping methods is an error on the later route's {@code path}: it is a mistake, not a fallback.
   */
  private static void conflicts(List<ConfigNode> nodes, List<RouteConfig> routes) {
    Map<String, Integer> firstByShape = new java.util.HashMap<>();
    for (int i = 0; i < routes.size(); i++) {
      RouteConfig route = routes.get(i);
      if (route.path().isEmpty()) {
        continue;
      }
      String shape = route.path().replaceAll("\\{[^}/]*\\}", "{}") + " " + new java.util.TreeSet<>(route.hosts());
      Integer earlier = firstByShape.putIfAbsent(shape, i);
      if (earlier != null && overlap(routes.get(earlier).methods(), route.methods())) {
        nodes.get(i).entries().get("path").error("conflicts with route '" + routes.get(earlier).id()
            + "': same path, hosts and methods, so this route could never match");
      }
    }
  }

  private static boolean overlap(Set<String> a, Set<String> b) {
    return a.isEmpty() || b.isEmpty() || a.stream().anyMatch(b::contains);
  }

  private RouteConfig route(ConfigNode node) {
    Fields f = node.fields(FIELDS);
    String id = id(f.required("id"), node.path());
    ConfigNode pathNode = f.required("path");
    String path = pathNode == null ? null : pathNode.string();
    PatternSyntax pattern = path == null ? null : pattern(pathNode, path);
    RouteAuthConfig routeAuth = AuthBinder.route(f, path, auth);
    SplitConfig split = split(f);
    return new RouteConfig(
        id,
        path == null ? "" : path,
        methods(f.get("methods")),
        hosts(f.get("hosts")),
        primaryService(f, split),
        RewriteBinder.rewrite(f, pattern),
        ServiceBinder.timeouts(f),
        f.size("maxBodySize", null, 0, Long.MAX_VALUE),
        f.bool("preserveHost", false),
        routeAuth,
        RateLimitBinder.route(f, rateLimiting),
        RateLimitBinder.concurrency(f),
        OwnershipBinder.route(f, pattern == null ? null : pattern.params(), routeAuth, auth, ownership),
        RetryBinder.retry(f, null),
        f.bool("retryNonIdempotent", false),
        fallback(f),
        split,
        WebSocketBinder.route(f));
  }

  /** {@code service}, or the first of {@code services}; exactly one of the two is required. */
  private String primaryService(Fields f, SplitConfig split) {
    if (split == null || split.services().isEmpty()) {
      return service(f.required("service"));
    }
    if (f.get("service") != null) {
      f.error("service", "give either service or services, not both");
    }
    return split.services().get(0).name();
  }

  /** {@code services: [{name, weight}]} and {@code canary: {header, value, service}}; null when neither is given. */
  private SplitConfig split(Fields f) {
    ConfigNode list = f.get("services");
    if (list == null && f.get("canary") == null) {
      return null;
    }
    List<SplitConfig.WeightedService> weighted = new ArrayList<>();
    Set<String> seen = new java.util.HashSet<>();
    int total = 0;
    for (ConfigNode item : list == null ? List.<ConfigNode>of() : list.list()) {
      Fields w = item.fields("name", "weight");
      String name = service(w.required("name"));
      int weight = w.integer("weight", 1, 0, 10_000);
      if (!name.isEmpty() && !seen.add(name)) {
        item.error("service '" + name + "' is listed twice");
      }
      total += weight;
      weighted.add(new SplitConfig.WeightedService(name, weight));
    }
    if (list != null && list.isSequence() && total == 0) {
      list.error("at least one service needs a weight above 0");
    }
    SplitConfig.Canary canary = null;
    if (f.get("canary") != null) {
      Fields c = f.section("canary", "header", "value", "service");
      ConfigNode header = c.required("header");
      String name = header == null ? null : header.string();
      if (name != null && !Syntax.isToken(name)) {
        header.error("invalid header name '" + name + "'");
      }
      canary = new SplitConfig.Canary(name == null ? "" : name, c.string("value", null), service(c.required("service")));
    }
    return new SplitConfig(weighted, canary);
  }

  /** {@code fallback: {service}} or {@code fallback: {status, body, contentType}}, or null when absent. */
  private FallbackConfig fallback(Fields owner) {
    if (owner.get("fallback") == null) {
      return null;
    }
    Fields f = owner.section("fallback", "service", "status", "body", "contentType");
    if (f.get("service") != null) {
      for (String name : List.of("status", "body", "contentType")) {
        if (f.get(name) != null) {
          f.error(name, "give either service or a static response, not both");
        }
      }
      return new FallbackConfig(service(f.get("service")), 200, "", FallbackConfig.DEFAULT_CONTENT_TYPE);
    }
    String contentType = f.string("contentType", FallbackConfig.DEFAULT_CONTENT_TYPE);
    if (!contentType.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+( *;[ -~]*)?")) {
      f.error("contentType", "invalid media type '" + contentType + "'");
    }
    return new FallbackConfig(f.integer("status", 200, 200, 599), f.string("body", ""), contentType);
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
