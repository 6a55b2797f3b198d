package io.tollgate.events.ownership;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares the current schema of a released event version with its committed snapshot. Within a version, producers
 * and consumers of any age must keep understanding each other, so the set of valid values of every existing member
 * must stay exactly the same: neither narrower (old producers' events would be refused) nor wider (old consumers
 * would refuse new events). Only optional members may be added, and annotations (descriptions) may change.
 */
final class SchemaCompatibility {

  /** Keywords that do not change which documents are valid. */
  private static final Set<String> ANNOTATIONS = Set.of("title", "description", "examples", "$comment",
      "deprecated");
  private static final String FIX = " Revert it, or release the change as a new version (a new type and schema file,"
      + " see docs/events.md).";

  private SchemaCompatibility() {
  }

  /** Every breaking difference, one readable sentence each; empty when {@code current} is compatible. */
  static List<String> problems(String type, JsonObject snapshot, JsonObject current) {
    List<String> problems = new ArrayList<>();
    sameValue(problems, type, "$id", snapshot, current);
    sameValue(problems, type, "type", snapshot, current);
    if (Boolean.FALSE.equals(current.getValue("additionalProperties"))
        && !Boolean.FALSE.equals(snapshot.getValue("additionalProperties"))) {
      problems.add(type + ": additionalProperties became false, so events of newer producers that add optional"
          + " members would be refused." + FIX);
    }
    requiredMembers(problems, type, snapshot, current);
    JsonObject before = properties(snapshot);
    JsonObject after = properties(current);
    for (String name : new TreeSet<>(before.fieldNames())) {
      if (!after.containsKey(name)) {
        problems.add(type + ": member '" + name + "' was removed or renamed; producers still send it and consumers"
            + " read it." + FIX);
        continue;
      }
      JsonObject was = withoutAnnotations(before.getJsonObject(name));
      JsonObject now = withoutAnnotations(after.getJsonObject(name));
      if (!was.equals(now)) {
        problems.add(type + ": the definition of member '" + name + "' changed from " + was.encode() + " to "
            + now.encode() + "; narrower refuses events of existing producers, wider is refused by existing"
            + " consumers." + FIX);
      }
    }
    return problems;
  }

  private static void requiredMembers(List<String> problems, String type, JsonObject snapshot, JsonObject current) {
    Set<Object> before = new TreeSet<>(snapshot.getJsonArray("required", new JsonArray()).getList());
    Set<Object> after = new TreeSet<>(current.getJsonArray("required", new JsonArray()).getList());
    for (Object name : after) {
      if (!before.contains(name)) {
        problems.add(type + ": member '" + name + "' became required; events of existing producers lack it."
            + " Add it as an optional member instead." + FIX);
      }
    }
    for (Object name : before) {
      if (!after.contains(name)) {
        problems.add(type + ": member '" + name + "' is no longer required; existing consumers rely on it." + FIX);
      }
    }
  }

  private static void sameValue(List<String> problems, String type, String keyword, JsonObject snapshot,
      JsonObject current) {
    Object before = snapshot.getValue(keyword);
    Object after = current.getValue(keyword);
    if (before == null ? after != null : !before.equals(after)) {
      problems.add(type + ": '" + keyword + "' changed from " + before + " to " + after + "." + FIX);
    }
  }

  private static JsonObject properties(JsonObject schema) {
    return schema.getJsonObject("properties", new JsonObject());
  }

  private static JsonObject withoutAnnotations(JsonObject definition) {
    JsonObject copy = definition.copy();
    ANNOTATIONS.forEach(copy::remove);
    return copy;
  }
}
