package io.tollgate.events.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The config topic's contract: the golden value is valid against the shipped schema (the gateway's codec test
 * decodes the same file), and the schema refuses what nodes refuse.
 */
class ConfigChangedSchemaTest {

  private static final Path SCHEMA = Path.of("src/main/resources/schemas/config/ConfigChanged.v1.schema.json");
  private static final Path GOLDEN = Path.of("src/test/resources/golden-config/ConfigChanged.v1.json");

  private static OutputUnit validate(JsonObject value) throws Exception {
    return Validator.create(JsonSchema.of(new JsonObject(Files.readString(SCHEMA))),
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://tollgate.invalid/")
            .setOutputFormat(OutputFormat.Basic)).validate(value);
  }

  @Test
  void theGoldenValueIsValid() throws Exception {
    assertThat(validate(new JsonObject(Files.readString(GOLDEN))).getValid()).isTrue();
  }

  @Test
  void refusesWhatNodesRefuse() throws Exception {
    JsonObject golden = new JsonObject(Files.readString(GOLDEN));
    assertThat(validate(golden.copy().put("version", 0)).getValid()).isFalse();
    assertThat(validate(golden.copy().put("schemaVersion", 2)).getValid()).isFalse();
    JsonObject putWithoutDocument = golden.copy();
    putWithoutDocument.getJsonArray("changes").getJsonObject(0).remove("document");
    assertThat(validate(putWithoutDocument).getValid()).isFalse();
    JsonObject unknownKind = golden.copy();
    unknownKind.getJsonArray("changes").getJsonObject(2).put("kind", "plugins");
    assertThat(validate(unknownKind).getValid()).isFalse();
  }
}
