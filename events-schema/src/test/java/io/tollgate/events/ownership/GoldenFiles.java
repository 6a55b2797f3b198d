package io.tollgate.events.ownership;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Example values of every event type and version as producers write them, {@code golden/<type>[.<variant>].json}
 * (e.g. {@code OwnershipAssigned.v1.minimal.json}). Never edited once released: add a variant instead.
 */
final class GoldenFiles {

  static final Path DIRECTORY = Path.of("src/test/resources/golden");

  private GoldenFiles() {
  }

  /** One golden value and the record key a producer would give it. */
  record Golden(String fileName, String type, String json) {

    byte[] value() {
      return json.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code <resourceType>:<resourceId>} read with another JSON parser than the codec's. */
    byte[] key() {
      JsonObject object = new JsonObject(json);
      return (object.getString("resourceType") + ":" + object.getString("resourceId")).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
      return fileName;
    }
  }

  static List<Golden> all() {
    try (Stream<Path> files = Files.list(DIRECTORY)) {
      return files.map(GoldenFiles::golden).sorted((a, b) -> a.fileName().compareTo(b.fileName())).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Golden golden(Path file) {
    String name = file.getFileName().toString();
    String[] parts = name.split("\\.");
    // <Event>.v<N>[.<variant>].json
    return new Golden(name, parts[0] + "." + parts[1], SchemaFiles.read(file));
  }
}
