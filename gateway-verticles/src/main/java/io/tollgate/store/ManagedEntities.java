package io.tollgate.store;

import io.tollgate.auth.AuthSetup;
import io.tollgate.config.ConfigError;
import io.tollgate.config.ConfigException;
import io.tollgate.config.ConfigLoader;
import io.tollgate.config.ControlPlaneConfig;
import io.tollgate.config.GatewayConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The control plane's entities at one global config version: immutable; {@link #apply} returns a new value.
 * Within a kind, entities keep their declaration order (a replaced entity keeps its place, a new one goes last).
 *
 * <p>{@link #compile} merges them into a node's bootstrap YAML and validates the result as one config, with error
 * paths that name entities ({@code routes[orders].service}) rather than positions.
 *
 * @param version  the global config version (0: nothing written yet)
 * @param entities by kind, each in declaration order
 */
public record ManagedEntities(long version, Map<EntityKind, Map<String, JsonObject>> entities) {

  public static final ManagedEntities EMPTY = new ManagedEntities(0, Map.of());

  private static final Pattern INDEXED = Pattern.compile("^(routes|auth\\.apiKeys\\.keys)\\[(\\d+)\\]");
  private static final Pattern NAMED = Pattern.compile("^(services|rateLimiting\\.policies)\\.([^.\\[]+)");

  public ManagedEntities {
    Map<EntityKind, Map<String, JsonObject>> copy = new EnumMap<>(EntityKind.class);
    for (EntityKind kind : EntityKind.values()) {
      Map<String, JsonObject> byId = entities.get(kind);
      copy.put(kind, byId == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(byId)));
    }
    entities = Collections.unmodifiableMap(copy);
  }

  public Map<String, JsonObject> of(EntityKind kind) {
    return entities.get(kind);
  }

  public JsonObject get(EntityKind kind, String id) {
    return entities.get(kind).get(id);
  }

  /** The entities after {@code changes}, at {@code newVersion}. A delete of something absent is a no-op. */
  public ManagedEntities apply(long newVersion, List<EntityChange> changes) {
    Map<EntityKind, Map<String, JsonObject>> next = new EnumMap<>(EntityKind.class);
    entities.forEach((kind, byId) -> next.put(kind, new LinkedHashMap<>(byId)));
    for (EntityChange change : changes) {
      if (change.isDelete()) {
        next.get(change.kind()).remove(change.id());
      } else {
        next.get(change.kind()).put(change.id(), change.document());
      }
    }
    return new ManagedEntities(newVersion, next);
  }

  /**
   * The JSON tree {@link ConfigLoader#parse(String, JsonObject, Map)} merges: {@code services}, {@code routes},
   * {@code rateLimiting.policies} and {@code auth.apiKeys.keys} (a key without scopes gets its consumer's; the list
   * is always there, possibly empty).
   */
  public JsonObject toConfigTree() {
    JsonObject services = new JsonObject();
    of(EntityKind.SERVICES).forEach(services::put);
    JsonArray routes = new JsonArray();
    of(EntityKind.ROUTES).forEach((id, doc) -> routes.add(doc.copy().put("id", id)));
    JsonObject policies = new JsonObject();
    of(EntityKind.LIMITS).forEach((name, doc) -> policies.put(name, doc.getValue("limits")));
    JsonArray keys = new JsonArray();
    of(EntityKind.API_KEYS).forEach((id, doc) -> {
      JsonObject consumer = get(EntityKind.CONSUMERS, doc.getString("consumer", ""));
      Object scopes = doc.getValue("scopes") != null ? doc.getValue("scopes")
          : consumer == null ? null : consumer.getValue("scopes");
      JsonObject key = new JsonObject().put("consumer", doc.getValue("consumer")).put("hash", doc.getValue("hash"));
      keys.add(scopes == null ? key : key.put("scopes", scopes));
    });
    JsonObject tree = new JsonObject();
    if (!services.isEmpty()) {
      tree.put("services", services);
    }
    if (!routes.isEmpty()) {
      tree.put("routes", routes);
    }
    if (!policies.isEmpty()) {
      tree.put("rateLimiting", new JsonObject().put("policies", policies));
    }
    // Always declared, possibly empty: routes may accept API keys before the first one is issued.
    tree.put("auth", new JsonObject().put("apiKeys", new JsonObject().put("keys", keys)));
    return tree;
  }

  /**
   * Validates these entities on top of a node's bootstrap: every error at once, paths naming entities.
   *
   * @throws ConfigException when the merged config is invalid, or a key's consumer does not exist
   */
  public GatewayConfig compile(String bootstrapYaml, Map<String, String> env) throws ConfigException {
    List<ConfigError> errors = new ArrayList<>();
    ControlPlaneConfig.ReferencesConfig allowed = bootstrapReferences(bootstrapYaml, env);
    for (EntityKind kind : EntityKind.values()) {
      of(kind).forEach((id, doc) -> checkReferences(doc, kind.wireName() + "[" + id + "]", allowed, errors));
    }
    if (!errors.isEmpty()) {
      // Nothing is substituted: a refused reference is never resolved, so its value cannot show up in an error.
      throw new ConfigException(errors);
    }
    of(EntityKind.API_KEYS).forEach((id, doc) -> {
      if (get(EntityKind.CONSUMERS, doc.getString("consumer", "")) == null) {
        errors.add(new ConfigError("apiKeys[" + id + "].consumer", "unknown consumer '" + doc.getValue("consumer")
            + "'"));
      }
    });
    try {
      GatewayConfig config = ConfigLoader.parse(bootstrapYaml, toConfigTree(), env);
      try {
        // What only compiling finds (two consumers sharing one key): the same check the node makes when applying.
        AuthSetup.compile(config.auth());
      } catch (IllegalArgumentException e) {
        errors.add(new ConfigError("apiKeys", e.getMessage()));
      }
      if (errors.isEmpty()) {
        return config;
      }
    } catch (ConfigException e) {
      e.errors().forEach(error -> errors.add(new ConfigError(entityPath(error.path()), error.message())));
    }
    throw new ConfigException(errors);
  }

  private static ControlPlaneConfig.ReferencesConfig bootstrapReferences(String bootstrapYaml, Map<String, String> env)
      throws ConfigException {
    GatewayConfig bootstrap = ConfigLoader.parse(bootstrapYaml, env);
    return bootstrap.controlPlane() == null ? ControlPlaneConfig.ReferencesConfig.NONE
        : bootstrap.controlPlane().references();
  }

  /** Every {@code ${…}} in the document's strings must be one the node allows ({@code controlPlane.references}). */
  private static void checkReferences(Object node, String path, ControlPlaneConfig.ReferencesConfig allowed,
      List<ConfigError> errors) {
    if (node instanceof JsonObject object) {
      object.forEach(e -> checkReferences(e.getValue(), path + "." + e.getKey(), allowed, errors));
    } else if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        checkReferences(array.getValue(i), path + "[" + i + "]", allowed, errors);
      }
    } else if (node instanceof String text) {
      for (String expression : expressions(text)) {
        String refusal = allowed.refusal(expression);
        if (refusal != null) {
          errors.add(new ConfigError(path, refusal));
        }
      }
    }
  }

  /** The texts inside each {@code ${…}} of a value; {@code $${} is a literal, as in substitution. */
  static List<String> expressions(String text) {
    List<String> found = new ArrayList<>();
    int i = 0;
    while ((i = text.indexOf("${", i)) >= 0) {
      if (i > 0 && text.charAt(i - 1) == '$') {
        i += 2;
        continue;
      }
      int end = text.indexOf('}', i + 2);
      found.add(end < 0 ? text.substring(i + 2) : text.substring(i + 2, end));
      i = end < 0 ? text.length() : end + 1;
    }
    return found;
  }

  /** {@code routes[3].service} → {@code routes[orders].service}; {@code services.a.x} → {@code services[a].x}. */
  String entityPath(String path) {
    Matcher indexed = INDEXED.matcher(path);
    if (indexed.find()) {
      EntityKind kind = indexed.group(1).equals("routes") ? EntityKind.ROUTES : EntityKind.API_KEYS;
      int index = Integer.parseInt(indexed.group(2));
      List<String> ids = new ArrayList<>(of(kind).keySet());
      String id = index < ids.size() ? ids.get(index) : indexed.group(2);
      return kind.wireName() + "[" + id + "]" + path.substring(indexed.end());
    }
    Matcher named = NAMED.matcher(path);
    if (named.find()) {
      String kind = named.group(1).equals("services") ? "services" : "limits";
      String rest = path.substring(named.end());
      if (kind.equals("limits") && rest.startsWith("[")) {
        rest = ".limits" + rest;
      }
      return kind + "[" + named.group(2) + "]" + rest;
    }
    return path;
  }

  /** {@code {"version": n, "services": {...}, "routes": {...}, ...}}: the last-known-good file and GET /admin/config. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("version", version);
    for (EntityKind kind : EntityKind.values()) {
      JsonObject byId = new JsonObject();
      of(kind).forEach(byId::put);
      json.put(kind.wireName(), byId);
    }
    return json;
  }

  /** @throws IllegalArgumentException when the JSON is not what {@link #toJson} writes */
  public static ManagedEntities fromJson(JsonObject json) {
    Long version = json.getLong("version");
    if (version == null || version < 0) {
      throw new IllegalArgumentException("no version");
    }
    Map<EntityKind, Map<String, JsonObject>> entities = new EnumMap<>(EntityKind.class);
    for (EntityKind kind : EntityKind.values()) {
      Map<String, JsonObject> byId = new LinkedHashMap<>();
      JsonObject section = json.getJsonObject(kind.wireName(), new JsonObject());
      section.forEach(e -> {
        if (!(e.getValue() instanceof JsonObject doc)) {
          throw new IllegalArgumentException(kind.wireName() + "." + e.getKey() + " is not an object");
        }
        byId.put(e.getKey(), doc);
      });
      entities.put(kind, byId);
    }
    return new ManagedEntities(version, entities);
  }
}
