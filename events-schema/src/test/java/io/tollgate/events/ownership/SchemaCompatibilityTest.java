package io.tollgate.events.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fails when a change to a released schema would break existing producers or consumers. Released versions are
 * snapshotted under {@code src/test/resources/compat/ownership/}; snapshots are never edited. (That every golden
 * value of every version still decodes with the current codec is GoldenFilesTest's job.)
 */
class SchemaCompatibilityTest {

  static List<String> releasedTypes() {
    return SchemaFiles.types(SchemaFiles.SNAPSHOTS);
  }

  @Test
  void everySchemaHasASnapshotAndNoReleasedVersionWasDeleted() {
    assertThat(SchemaFiles.types(SchemaFiles.CURRENT))
        .as("schemas in %s; a new version needs its snapshot: copy the file to %s", SchemaFiles.CURRENT,
            SchemaFiles.SNAPSHOTS)
        .isEqualTo(releasedTypes());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("releasedTypes")
  void currentSchemaIsCompatibleWithItsSnapshot(String type) {
    List<String> problems = SchemaCompatibility.problems(type, SchemaFiles.schema(SchemaFiles.SNAPSHOTS, type),
        SchemaFiles.shipped(type));

    assertThat(problems).as("breaking changes to %s:%n%s", type, String.join("\n", problems)).isEmpty();
  }

  @Test
  void addingAnOptionalMemberOrRewordingADescriptionIsCompatible() {
    assertThat(problemsAfter(schema -> {
      schema.getJsonObject("properties").put("region", new JsonObject().put("type", "string"));
      schema.getJsonObject("properties").getJsonObject("ownerId").put("description", "reworded");
    })).isEmpty();
  }

  @Test
  void removingOrRenamingAMemberBreaks() {
    assertThat(problemsAfter(schema -> {
      JsonObject properties = schema.getJsonObject("properties");
      properties.put("owner", properties.remove("ownerId"));
    })).anySatisfy(problem -> assertThat(problem).contains("member 'ownerId' was removed or renamed"));
  }

  @Test
  void aNewRequiredMemberBreaksAndSoDoesDroppingOne() {
    assertThat(problemsAfter(schema -> schema.getJsonArray("required").add("tenantId")))
        .singleElement().asString().contains("member 'tenantId' became required");
    assertThat(problemsAfter(schema -> schema.put("required", new JsonArray(
        schema.getJsonArray("required").stream().filter(name -> !name.equals("producer")).toList()))))
        .singleElement().asString().contains("member 'producer' is no longer required");
  }

  @Test
  void narrowingOrWideningAMemberBreaks() {
    assertThat(problemsAfter(schema -> member(schema, "resourceId").put("pattern", "^[0-9]+$")))
        .singleElement().asString().contains("definition of member 'resourceId' changed");
    assertThat(problemsAfter(schema -> member(schema, "ownerId").put("type", new JsonArray().add("string")
        .add("null"))))
        .singleElement().asString().contains("definition of member 'ownerId' changed");
    assertThat(problemsAfter(schema -> member(schema, "version").put("type", "number")))
        .singleElement().asString().contains("definition of member 'version' changed");
  }

  @Test
  void changingTheTypeConstantTheIdOrClosingTheObjectBreaks() {
    assertThat(problemsAfter(schema -> member(schema, "type").put("const", "OwnershipAssigned.v2")))
        .singleElement().asString().contains("member 'type'");
    assertThat(problemsAfter(schema -> schema.put("$id", "urn:tollgate:schema:ownership:Other.v1")))
        .singleElement().asString().contains("'$id' changed");
    assertThat(problemsAfter(schema -> schema.put("additionalProperties", false)))
        .singleElement().asString().contains("additionalProperties became false");
  }

  private static List<String> problemsAfter(Consumer<JsonObject> edit) {
    JsonObject snapshot = SchemaFiles.schema(SchemaFiles.SNAPSHOTS, OwnershipAssigned.TYPE);
    JsonObject edited = snapshot.copy();
    edit.accept(edited);
    return SchemaCompatibility.problems(OwnershipAssigned.TYPE, snapshot, edited);
  }

  private static JsonObject member(JsonObject schema, String name) {
    return schema.getJsonObject("properties").getJsonObject(name);
  }
}
