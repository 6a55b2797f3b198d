package io.tollgate.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Binds the root {@code ownership:} section and each route's {@code ownership:} rule. */
final class OwnershipBinder {

  private static final Pattern RESOURCE_TYPE = Pattern.compile("[a-z0-9][a-z0-9._-]*");
  private static final List<String> RESERVED = List.of(
      "group.id", "enable.auto.commit", "auto.offset.reset", "key.deserializer", "value.deserializer",
      "bootstrap.servers", "allow.auto.create.topics");

  private OwnershipBinder() {
  }

  /** The credential sources a route accepts: {@code issuer <name>} for each JWT issuer, {@code api keys}. */
  private static List<String> credentialSources(RouteAuthConfig rule, AuthConfig auth) {
    List<String> sources = new java.util.ArrayList<>();
    if (rule.accept().contains(RouteAuthConfig.CredentialKind.JWT)) {
      auth.issuers().stream().map(IssuerConfig::name)
          .filter(name -> rule.issuers().isEmpty() || rule.issuers().contains(name))
          .forEach(name -> sources.add("issuer " + name));
    }
    if (rule.accept().contains(RouteAuthConfig.CredentialKind.API_KEY) && auth.apiKeys().usable()) {
      sources.add("api keys");
    }
    return sources;
  }

  /** The root {@code ownership:} section, or {@code null} when absent (no route may then declare ownership). */
  static OwnershipConfig ownership(Fields root) {
    if (root.get("ownership") == null) {
      return null;
    }
    Fields f = root.section("ownership", "kafka", "topic");
    Fields kafka = f.section("kafka", "bootstrapServers", "properties");
    String bootstrap = KafkaBinder.bootstrapServers(kafka);
    Map<String, String> properties = KafkaBinder.properties(kafka, RESERVED);
    String topic = KafkaBinder.topic(f, OwnershipConfig.DEFAULT_TOPIC);
    return new OwnershipConfig(bootstrap, topic, properties);
  }

  /**
   * A route's {@code ownership:} rule, or {@code null}.
   *
   * @param params     the route path's parameter names (null when the path is invalid: not checked then)
   * @param routeAuth  the route's access rule: it must require credentials, from exactly one source (one issuer, or
   *                   API keys), since an owner id means nothing without its namespace
   * @param auth       the configured issuers and keys
   * @param ownership  the root section (null: the rule cannot be enforced)
   */
  static RouteOwnershipConfig route(Fields route, List<String> params, RouteAuthConfig routeAuth, AuthConfig auth,
      OwnershipConfig ownership) {
    ConfigNode node = route.get("ownership");
    if (node == null) {
      return null;
    }
    Fields f = node.fields("resource", "idParam", "ownerClaim", "tenantClaim");
    ConfigNode resourceNode = f.required("resource");
    String resource = resourceNode == null ? null : resourceNode.string();
    if (resource != null && !RESOURCE_TYPE.matcher(resource).matches()) {
      resourceNode.error("invalid resource type '" + resource + "' (lower-case letters, digits, '.', '_', '-')");
    }
    String idParam = f.string("idParam", null);
    if (params != null) {
      if (idParam == null && params.size() != 1) {
        route.error("ownership", "name the path parameter holding the id (idParam); the path has "
            + (params.isEmpty() ? "none" : params.size() + ": " + String.join(", ", params)));
      } else if (idParam == null) {
        idParam = params.get(0);
      } else if (!params.contains(idParam)) {
        f.error("idParam", "'" + idParam + "' is not a parameter of the route's path"
            + (params.isEmpty() ? "" : " (" + String.join(", ", params) + ")"));
      }
    }
    String ownerClaim = f.string("ownerClaim", "sub");
    String tenantClaim = f.string("tenantClaim", null);
    if (routeAuth.isPublic()) {
      route.error("ownership", "an ownership rule needs an authenticated caller; the route is public");
    } else {
      List<String> sources = credentialSources(routeAuth, auth);
      if (sources.size() > 1) {
        route.error("ownership", "the owner is compared with one claim, so the route must accept credentials from"
            + " one source; it accepts " + String.join(", ", sources) + " (restrict auth.accept or auth.issuers)");
      }
    }
    if (ownership == null) {
      route.error("ownership", "needs the ownership replica: configure ownership.kafka at the top level");
    }
    return new RouteOwnershipConfig(resource, idParam, ownerClaim, tenantClaim);
  }
}
