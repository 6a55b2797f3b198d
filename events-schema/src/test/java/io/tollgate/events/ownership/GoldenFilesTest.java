package io.tollgate.events.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.events.ownership.GoldenFiles.Golden;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden value is valid against its JSON Schema and survives decode → encode → decode unchanged. */
class GoldenFilesTest {

  static List<Golden> goldens() {
    return GoldenFiles.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void validatesAgainstItsSchema(Golden golden) {
    assertThat(SchemaFiles.errors(golden.type(), golden.json()))
        .as("%s against schemas/ownership/%s.schema.json", golden, golden.type())
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldens")
  void decodesToItsTypeAndRoundTripsThroughTheCodec(Golden golden) throws MalformedEventException {
    OwnershipEvent decoded = OwnershipCodec.decode(golden.key(), golden.value());
    byte[] encoded = OwnershipCodec.encode(decoded);

    assertThat(decoded.type()).isEqualTo(golden.type());
    assertThat(OwnershipCodec.encodeKey(decoded)).isEqualTo(golden.key());
    assertThat(OwnershipCodec.decode(golden.key(), encoded)).isEqualTo(decoded);
    assertThat(SchemaFiles.errors(golden.type(), new String(encoded, StandardCharsets.UTF_8)))
        .as("what the codec writes for %s", golden)
        .isEmpty();
  }

  @Test
  void everySchemaHasAGoldenFileAndEveryGoldenFileASchema() {
    List<String> schemaTypes = SchemaFiles.types(SchemaFiles.CURRENT);
    List<String> goldenTypes = GoldenFiles.all().stream().map(Golden::type).distinct().sorted()
        .collect(Collectors.toList());

    assertThat(goldenTypes).as("event types of golden/*.json").isEqualTo(schemaTypes);
  }

  @Test
  void theValidatorRejectsWhatTheSchemaForbids() {
    String versionZero = GoldenFiles.all().get(0).json().replaceFirst("\"version\": *\\d+", "\"version\": 0");

    assertThat(versionZero).contains("\"version\": 0");
    assertThat(SchemaFiles.errors(OwnershipAssigned.TYPE, versionZero)).isNotEmpty();
  }

  @Test
  void goldenValuesCarryTheDocumentedMembers() throws MalformedEventException {
    Golden full = golden("OwnershipAssigned.v1.json");
    Golden minimal = golden("OwnershipAssigned.v1.minimal.json");

    OwnershipAssigned assigned = (OwnershipAssigned) OwnershipCodec.decode(full.key(), full.value());
    OwnershipAssigned noTenant = (OwnershipAssigned) OwnershipCodec.decode(minimal.key(), minimal.value());

    assertThat(assigned.key()).isEqualTo("monitor:101");
    assertThat(assigned.ownerId()).isEqualTo("user-7");
    assertThat(assigned.tenantId()).isEqualTo("acme");
    assertThat(assigned.version()).isEqualTo(1_732_356_930_000L);
    assertThat(noTenant.tenantId()).isNull();
  }

  private static Golden golden(String fileName) {
    return GoldenFiles.all().stream().filter(golden -> golden.fileName().equals(fileName)).findFirst()
        .orElseThrow(() -> new AssertionError("no golden file " + fileName));
  }
}
