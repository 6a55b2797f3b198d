package io.tollgate.config;

import java.util.List;
import java.util.Map;

/** Shortcuts for the binder tests: load YAML, or get the errors of YAML that must be rejected. */
final class TestConfigs {

  /** Two services, {@code service1} and {@code other}, for route tests. */
  static final String SERVICES =
      "services: { service1: { targets: [http://a] }, other: { targets: [http://b] } }\n";

  private TestConfigs() {
  }

  static GatewayConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml, Map.of());
  }

  static GatewayConfig parse(String yaml, Map<String, String> env) throws ConfigException {
    return ConfigLoader.parse(yaml, env);
  }

  static List<String> errors(String yaml) {
    return errors(yaml, Map.of());
  }

  /** The errors of a config that must be rejected, as {@code path: message} strings. */
  static List<String> errors(String yaml, Map<String, String> env) {
    try {
      ConfigLoader.parse(yaml, env);
    } catch (ConfigException e) {
      return e.errors().stream().map(ConfigError::toString).toList();
    }
    throw new AssertionError("expected the config to be rejected:\n" + yaml);
  }

  /** The single route written inline, e.g. {@code "{ id: r, path: /, service: service1 }"}, after {@link #SERVICES}. */
  static RouteConfig route(String route) throws ConfigException {
    return parse(SERVICES + "routes:\n  - " + route + "\n").routes().get(0);
  }

  /** The errors of the given {@code routes:} items (indented block entries), after {@link #SERVICES}. */
  static List<String> routeErrors(String routes) {
    return errors(SERVICES + "routes:\n" + routes);
  }
}
