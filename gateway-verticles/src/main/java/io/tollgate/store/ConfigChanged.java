package io.tollgate.store;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Fact: config version {@code version} was committed, made of {@code changes} on top of {@code version - 1}.
 * The value of a record on the config topic (key {@code config}); the schema is
 * {@code events-schema/src/main/resources/schemas/config/ConfigChanged.v1.schema.json} (docs/events.md).
 *
 * @param version    the global config version this change produced (≥ 1)
 * @param occurredAt when it was committed
 * @param actor      who made it (an Admin API credential's name)
 * @param changes    the entities created, replaced or deleted; applied in order
 * @param resync     a marker without changes: this version was too large for the topic, read it from Postgres
 */
public record ConfigChanged(long version, Instant occurredAt, String actor, List<EntityChange> changes,
    boolean resync) {

  public static final String TYPE = "ConfigChanged";
  public static final int SCHEMA_VERSION = 1;
  /** Every record has this key: one partition, one stream. */
  public static final String KEY = "config";

  public ConfigChanged {
    changes = List.copyOf(changes);
  }

  public ConfigChanged(long version, Instant occurredAt, String actor, List<EntityChange> changes) {
    this(version, occurredAt, actor, changes, false);
  }

  /** The marker sent instead of {@code payload} (version {@code version}) when the broker refuses its size. */
  static String resyncMarker(long version, String payload) {
    JsonObject original;
    try {
      original = new JsonObject(payload);
    } catch (RuntimeException e) {
      original = new JsonObject();
    }
    return new JsonObject().put("type", TYPE).put("schemaVersion", SCHEMA_VERSION).put("version", version)
        .put("occurredAt", original.getString("occurredAt", Instant.now().toString()))
        .put("actor", original.getString("actor", "unknown")).put("changes", new JsonArray()).put("resync", true)
        .encode();
  }

  public JsonObject toJson() {
    JsonArray list = new JsonArray();
    changes.forEach(change -> list.add(change.toJson()));
    JsonObject json = new JsonObject().put("type", TYPE).put("schemaVersion", SCHEMA_VERSION).put("version", version)
        .put("occurredAt", occurredAt.toString()).put("actor", actor).put("changes", list);
    return resync ? json.put("resync", true) : json;
  }

  public String encode() {
    return toJson().encode();
  }

  /**
   * Reads a record value. Unknown members are ignored (within v1 only optional members are added).
   *
   * @throws IllegalArgumentException when it is not a v1 {@code ConfigChanged}
   */
  public static ConfigChanged decode(Buffer value) {
    JsonObject json;
    try {
      json = value == null ? null : new JsonObject(value);
    } catch (DecodeException | ClassCastException e) {
      throw new IllegalArgumentException("not a JSON object");
    }
    if (json == null || !TYPE.equals(json.getValue("type"))) {
      throw new IllegalArgumentException("not a " + TYPE);
    }
    if (!Integer.valueOf(SCHEMA_VERSION).equals(json.getValue("schemaVersion"))) {
      throw new IllegalArgumentException("unsupported schemaVersion " + json.getValue("schemaVersion"));
    }
    try {
      long version = json.getLong("version");
      if (version < 1) {
        throw new IllegalArgumentException("version must be at least 1");
      }
      List<EntityChange> changes = new ArrayList<>();
      for (Object item : json.getJsonArray("changes")) {
        if (!(item instanceof JsonObject change)) {
          throw new IllegalArgumentException("a change is not an object");
        }
        changes.add(EntityChange.fromJson(change));
      }
      return new ConfigChanged(version, Instant.parse(json.getString("occurredAt")),
          json.getString("actor", "unknown"), changes, Boolean.TRUE.equals(json.getValue("resync")));
    } catch (ClassCastException | NullPointerException | java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("malformed " + TYPE + ": " + e.getMessage());
    }
  }
}
