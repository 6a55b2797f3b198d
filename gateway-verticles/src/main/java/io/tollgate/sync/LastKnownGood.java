package io.tollgate.sync;

import io.tollgate.store.ManagedEntities;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

/**
 * The last applied managed config on local disk, so a node can start while Postgres and Kafka are down.
 *
 * <p>Written atomically (a temporary file in the same directory, mode 0600 from creation — it may hold secrets —
 * then renamed over the old one), so a crash leaves either the old or the new file, never half of one. Blocking:
 * call off the event loop.
 */
public final class LastKnownGood {

  private final Path file;

  public LastKnownGood(Path file) {
    this.file = file.toAbsolutePath();
  }

  public Path file() {
    return file;
  }

  public void write(ManagedEntities entities) throws IOException {
    Path dir = file.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".last-known-good", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      byte[] bytes = new JsonObject().put("writtenAt", Instant.now().toString()).put("config", entities.toJson())
          .encode().getBytes(StandardCharsets.UTF_8);
      try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(tmp,
          java.nio.file.StandardOpenOption.WRITE)) {
        channel.write(java.nio.ByteBuffer.wrap(bytes));
        // On disk before the rename makes it the file: a crash leaves the old file or the new one, whole.
        channel.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * @return the entities, or null when there is no file
   * @throws IOException              when it cannot be read
   * @throws IllegalArgumentException when it is not a last-known-good file
   */
  public ManagedEntities read() throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return null;
    }
    JsonObject json;
    try {
      json = new JsonObject(new String(bytes, StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(file + " is not JSON");
    }
    JsonObject config = json.getJsonObject("config");
    if (config == null) {
      throw new IllegalArgumentException(file + " has no config");
    }
    return ManagedEntities.fromJson(config);
  }
}
