package io.tollgate.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import io.vertx.core.json.JsonObject;

/**
 * Turns YAML into a validated {@link GatewayConfig}, or fails with every problem at once.
 *
 * <p>The YAML is parsed into a plain tree first; a hand-written binder then walks it, substitutes
 * {@code ${VAR}} / {@code ${VAR:default}} in string values from the given environment, checks types, ranges
 * and cross-references, and collects every error with its path ({@code routes[1].timeouts.response}).
 * Nothing is returned unless there are no errors, so callers never see a half-valid config.
 *
 * <p>Stateless and thread-safe; does blocking file I/O in {@link #load}, so call it off the event loop.
 * The reference for the format is {@code docs/configuration.md}.
 */
public final class ConfigLoader {

  private ConfigLoader() {
  }

  /**
   * Reads and parses a UTF-8 YAML file.
   *
   * @param env variables for {@code ${VAR}} substitution, usually {@link System#getenv()}
   * @throws ConfigException with a {@code <file>} error when the file cannot be read, otherwise as {@link #parse}
   */
  public static GatewayConfig load(Path file, Map<String, String> env) throws ConfigException {
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw fileError(file, "no such file");
    } catch (CharacterCodingException e) {
      throw fileError(file, "not valid UTF-8");
    } catch (IOException e) {
      throw fileError(file, e.toString());
    }
    return parse(yaml, env);
  }

  /**
   * Parses YAML text. An empty document is a valid config with all defaults and no services or routes.
   *
   * @param env variables for {@code ${VAR}} substitution, usually {@link System#getenv()}
   * @throws ConfigException listing every error found (a YAML syntax error is reported alone, as {@code <yaml>})
   */
  public static GatewayConfig parse(String yaml, Map<String, String> env) throws ConfigException {
    Binding binding = new Binding(env);
    YamlNode tree = YamlTree.parse(yaml, binding);
    ManagedMerge.checkBootstrap(tree, binding);
    return bind(tree, binding);
  }

  /**
   * Parses a node's bootstrap YAML (which has {@code controlPlane:}) together with the sections the control plane
   * manages, and validates the result as one config: exactly what a node would serve.
   *
   * @param managed a JSON tree with any of {@code services}, {@code routes}, {@code rateLimiting.policies} and
   *                {@code auth.apiKeys.keys}, shaped as in YAML; {@code ${VAR}} references in it are resolved
   *                from {@code env} like the file's
   * @throws ConfigException listing every error; errors inside managed sections carry their paths in the merged
   *                         document ({@code routes[3].service})
   */
  public static GatewayConfig parse(String bootstrapYaml, JsonObject managed, Map<String, String> env)
      throws ConfigException {
    Binding binding = new Binding(env);
    YamlNode root = ManagedMerge.merge(YamlTree.parse(bootstrapYaml, binding), managed, binding);
    return bind(root, binding);
  }

  private static GatewayConfig bind(YamlNode tree, Binding binding) throws ConfigException {
    Fields root = Fields.root(tree, binding,
        "listener", "management", "shutdown", "services", "routes", "auth", "rateLimiting", "ownership",
        "tracing", "controlPlane");
    ListenerConfig listener = ServerBinder.listener(root);
    ManagementConfig management = ServerBinder.management(root, listener);
    ShutdownConfig shutdown = ServerBinder.shutdown(root);
    TracingConfig tracing = TracingBinder.tracing(root);
    Map<String, ServiceConfig> services = ServiceBinder.services(root);
    AuthConfig auth = AuthBinder.auth(root);
    RateLimitingConfig rateLimiting = RateLimitBinder.rateLimiting(root);
    OwnershipConfig ownership = OwnershipBinder.ownership(root);
    List<RouteConfig> routes = RouteBinder.routes(root, services.keySet(), auth, rateLimiting, ownership);
    ControlPlaneConfig controlPlane = ControlPlaneBinder.controlPlane(root, auth);
    binding.throwIfErrors();
    return new GatewayConfig(listener, management, shutdown, services, routes, auth, rateLimiting, ownership,
        tracing, controlPlane);
  }

  private static ConfigException fileError(Path file, String reason) {
    return new ConfigException(List.of(new ConfigError("<file>", "cannot read " + file + ": " + reason)));
  }
}
