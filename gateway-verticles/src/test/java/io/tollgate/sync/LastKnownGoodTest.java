package io.tollgate.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.store.EntityChange;
import io.tollgate.store.EntityKind;
import io.tollgate.store.ManagedEntities;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LastKnownGoodTest {

  @TempDir
  Path dir;

  @Test
  void writesAtomicallyReadableOnlyByTheOwnerAndReadsBack() throws Exception {
    LastKnownGood file = new LastKnownGood(dir.resolve("state/lkg.json"));
    assertThat(file.read()).isNull();
    ManagedEntities v1 = ManagedEntities.EMPTY.apply(1, List.of(EntityChange.put(EntityKind.ROUTES, "r",
        new JsonObject().put("path", "/r/**"))));
    file.write(v1);
    file.write(v1.apply(2, List.of(EntityChange.delete(EntityKind.ROUTES, "r"))));
    assertThat(file.read().version()).isEqualTo(2);
    assertThat(file.read().of(EntityKind.ROUTES)).isEmpty();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.file()))).isEqualTo("rw-------");
    try (var files = Files.list(file.file().getParent())) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("lkg.json");
    }
  }

  @Test
  void aDamagedFileIsReportedNotServed() throws Exception {
    Path path = dir.resolve("lkg.json");
    Files.writeString(path, "{\"config\": {\"routes\": {}}");
    assertThatThrownBy(() -> new LastKnownGood(path).read()).isInstanceOf(IllegalArgumentException.class);
  }
}
