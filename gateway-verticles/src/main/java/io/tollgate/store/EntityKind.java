package io.tollgate.store;

/**
 * What the control plane manages. The wire name is used in the Admin API paths, the store, the config topic and
 * the last-known-good file.
 */
public enum EntityKind {
  /** {@code services.<name>} in YAML. */
  SERVICES("services"),
  /** {@code routes[]} (the id is the route's {@code id}). */
  ROUTES("routes"),
  /** {@code rateLimiting.policies.<name>}; the document is {@code {"limits": [...]}}. */
  LIMITS("limits"),
  /** API consumers: {@code {"description": ..., "scopes": [...]}} (scopes their keys get by default). */
  CONSUMERS("consumers"),
  /** {@code auth.apiKeys.keys[]}: {@code {"consumer", "hash", "scopes"?, "prefix", "createdAt"}}; never a key. */
  API_KEYS("apiKeys");

  private final String wireName;

  EntityKind(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The kind with this wire name, or null. */
  public static EntityKind of(String wireName) {
    for (EntityKind kind : values()) {
      if (kind.wireName.equals(wireName)) {
        return kind;
      }
    }
    return null;
  }
}
