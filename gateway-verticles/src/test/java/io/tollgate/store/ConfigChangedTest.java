package io.tollgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigChangedTest {

  /** The golden file next to the schema in events-schema: what the relay writes, byte for byte in meaning. */
  private static final Path GOLDEN = Path.of("../events-schema/src/test/resources/golden-config/ConfigChanged.v1.json");

  @Test
  void roundTrips() {
    ConfigChanged change = new ConfigChanged(7, Instant.parse("2026-11-23T10:15:30Z"), "ops", List.of(
        EntityChange.put(EntityKind.ROUTES, "orders", new JsonObject().put("path", "/orders/**")),
        EntityChange.delete(EntityKind.SERVICES, "old")));
    assertThat(ConfigChanged.decode(Buffer.buffer(change.encode()))).isEqualTo(change);
  }

  @Test
  void decodesTheGoldenFileAndIgnoresUnknownMembers() throws Exception {
    ConfigChanged golden = ConfigChanged.decode(Buffer.buffer(Files.readString(GOLDEN)));
    assertThat(golden.version()).isEqualTo(42);
    assertThat(golden.changes()).extracting(EntityChange::kind).containsExactly(EntityKind.SERVICES,
        EntityKind.ROUTES, EntityKind.API_KEYS);
    assertThat(golden.changes().get(2).isDelete()).isTrue();
    JsonObject extended = new JsonObject(Files.readString(GOLDEN)).put("futureMember", true);
    assertThat(ConfigChanged.decode(extended.toBuffer())).isEqualTo(golden);
  }

  @Test
  void aResyncMarkerKeepsTheVersionAndCarriesNoChanges() {
    String payload = new ConfigChanged(9, Instant.parse("2026-11-23T10:15:30Z"), "ops", List.of(
        EntityChange.delete(EntityKind.ROUTES, "x"))).encode();
    ConfigChanged marker = ConfigChanged.decode(Buffer.buffer(ConfigChanged.resyncMarker(9, payload)));
    assertThat(marker.resync()).isTrue();
    assertThat(marker.version()).isEqualTo(9);
    assertThat(marker.actor()).isEqualTo("ops");
    assertThat(marker.changes()).isEmpty();
    assertThat(ConfigChanged.decode(Buffer.buffer(payload)).resync()).isFalse();
  }

  @Test
  void refusesWhatIsNotAV1ConfigChange() {
    for (String value : List.of("{not json", "[]", "{\"type\":\"OwnershipAssigned\"}",
        "{\"type\":\"ConfigChanged\",\"schemaVersion\":2,\"version\":1,\"changes\":[]}",
        "{\"type\":\"ConfigChanged\",\"schemaVersion\":1,\"version\":0,\"occurredAt\":\"2026-01-01T00:00:00Z\",\"changes\":[]}",
        "{\"type\":\"ConfigChanged\",\"schemaVersion\":1,\"version\":3,\"occurredAt\":\"2026-01-01T00:00:00Z\",\"changes\":\"x\"}",
        "{\"type\":\"ConfigChanged\",\"schemaVersion\":1,\"version\":3,\"occurredAt\":\"2026-01-01T00:00:00Z\","
            + "\"changes\":[{\"op\":\"put\",\"kind\":\"plugins\",\"id\":\"x\",\"document\":{}}]}",
        "{\"type\":\"ConfigChanged\",\"schemaVersion\":1,\"version\":3,\"occurredAt\":\"2026-01-01T00:00:00Z\","
            + "\"changes\":[{\"op\":\"put\",\"kind\":\"routes\",\"id\":\"x\"}]}")) {
      assertThatThrownBy(() -> ConfigChanged.decode(Buffer.buffer(value))).as(value)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
