package io.tollgate.store;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * One entity created, replaced or deleted by a config change.
 *
 * @param kind     what
 * @param id       its name or id
 * @param document the new document; null for a delete
 */
public record EntityChange(EntityKind kind, String id, JsonObject document) {

  public EntityChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(id, "id");
  }

  public static EntityChange put(EntityKind kind, String id, JsonObject document) {
    return new EntityChange(kind, id, Objects.requireNonNull(document, "document"));
  }

  public static EntityChange delete(EntityKind kind, String id) {
    return new EntityChange(kind, id, null);
  }

  public boolean isDelete() {
    return document == null;
  }

  /** {@code {"op":"put"|"delete","kind":...,"id":...,"document":...}}, as on the config topic. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("op", isDelete() ? "delete" : "put").put("kind", kind.wireName())
        .put("id", id);
    return isDelete() ? json : json.put("document", document);
  }

  /** @throws IllegalArgumentException when the JSON is not a change */
  public static EntityChange fromJson(JsonObject json) {
    EntityKind kind = EntityKind.of(json.getString("kind"));
    String id = json.getString("id");
    String op = json.getString("op");
    if (kind == null || id == null || id.isEmpty()) {
      throw new IllegalArgumentException("change without a known kind and an id: " + json.getString("kind"));
    }
    if ("delete".equals(op)) {
      return delete(kind, id);
    }
    if ("put".equals(op) && json.getValue("document") instanceof JsonObject document) {
      return put(kind, id, document);
    }
    throw new IllegalArgumentException("change of " + kind.wireName() + "/" + id + ": op must be put (with a"
        + " document object) or delete");
  }
}
