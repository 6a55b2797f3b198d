package io.tollgate.events.ownership;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The ownership schemas as shipped (the module's resources), their committed compatibility snapshots, and
 * validation of documents against them with a draft 2020-12 validator (vertx-json-schema).
 */
final class SchemaFiles {

  /** Where the current schemas live; tests run in the module directory. */
  static final Path CURRENT = Path.of("src/main/resources/schemas/ownership");
  /** Snapshots of every released schema version, never edited (docs/events.md). */
  static final Path SNAPSHOTS = Path.of("src/test/resources/compat/ownership");

  private static final String SUFFIX = ".schema.json";

  private SchemaFiles() {
  }

  /** Event types with a schema in {@code directory}, e.g. {@code OwnershipAssigned.v1}, sorted. */
  static List<String> types(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(file -> file.getFileName().toString())
          .filter(name -> name.endsWith(SUFFIX))
          .map(name -> name.substring(0, name.length() - SUFFIX.length()))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonObject schema(Path directory, String type) {
    return new JsonObject(read(directory.resolve(type + SUFFIX)));
  }

  /** The current schema as the class path serves it ({@link OwnershipCodec#schemaResource(String)}). */
  static JsonObject shipped(String type) {
    try (var in = SchemaFiles.class.getClassLoader().getResourceAsStream(OwnershipCodec.schemaResource(type))) {
      if (in == null) {
        throw new AssertionError("no resource " + OwnershipCodec.schemaResource(type));
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schema errors of {@code document} against the current schema of {@code type}; empty when valid. */
  static List<String> errors(String type, String document) {
    Validator validator = Validator.create(JsonSchema.of(shipped(type)),
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://tollgate.invalid/")
            .setOutputFormat(OutputFormat.Basic));
    OutputUnit result = validator.validate(new JsonObject(document));
    if (Boolean.TRUE.equals(result.getValid())) {
      return List.of();
    }
    return result.getErrors() == null ? List.of(String.valueOf(result.getError()))
        : result.getErrors().stream()
            .map(unit -> unit.getInstanceLocation() + ": " + unit.getError())
            .collect(Collectors.toList());
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
