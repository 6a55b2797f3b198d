package io.tollgate.config;

import static io.tollgate.config.TestConfigs.errors;
import static io.tollgate.config.TestConfigs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Duration and size syntax, through the fields that use them. */
class UnitsTest {

  @ParameterizedTest
  @CsvSource({"0s, 0", "500ms, 500", "3s, 3000", "2m, 120000", "1h, 3600000", "1m30s, 90000", "1h1ms, 3600001"})
  void durationsTakeAUnit(String text, long millis) throws ConfigException {
    assertThat(parse("shutdown: { drainTimeout: " + text + " }").shutdown().drainTimeout())
        .isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "30       | '30' has no unit: write e.g. 30s or 30ms (a bare number is ambiguous)",
      "'30'     | '30' has no unit: write e.g. 30s or 30ms (a bare number is ambiguous)",
      "-3s      | must not be negative",
      "3 sec    | invalid duration '3 sec' (expected e.g. 500ms, 3s, 2m, 1h or 1m30s)",
      "1.5s     | invalid duration '1.5s' (expected e.g. 500ms, 3s, 2m, 1h or 1m30s)",
      "3S       | invalid duration '3S' (expected e.g. 500ms, 3s, 2m, 1h or 1m30s)",
      "true     | invalid duration 'true' (expected e.g. 500ms, 3s, 2m, 1h or 1m30s)",
      "999999999999999h | duration '999999999999999h' is too large"})
  void badDurationsAreReported(String text, String message) {
    assertThat(errors("shutdown:\n  readinessGrace: " + text + "\n"))
        .containsExactly("shutdown.readinessGrace: " + message);
  }

  @Test
  void timeoutsMustBePositive() {
    assertThat(errors("""
        services: { s: { targets: [http://s], timeouts: { connect: 0s } } }
        routes: [ { id: r, path: /, service: s, timeouts: { response: -3s } } ]
        """)).containsExactly(
        "services.s.timeouts.connect: must be greater than 0",
        "routes[0].timeouts.response: must not be negative");
  }

  @ParameterizedTest
  @CsvSource({"512, 512", "100B, 100", "1KB, 1000", "1kb, 1000", "1KiB, 1024", "8 KiB, 8192", "3MB, 3000000",
      "10MiB, 10485760", "1GB, 1000000000", "2GiB, 2147483648", "0, 0"})
  void sizesAreBytesWithOptionalUnits(String text, long bytes) throws ConfigException {
    assertThat(parse("listener: { maxBodySize: " + text + " }").listener().maxBodySize()).isEqualTo(bytes);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "-1       | must not be negative",
      "-1KiB    | must not be negative",
      "1TB      | unknown size unit 'TB' in '1TB' (use B, KB, MB, GB, KiB, MiB or GiB)",
      "1.5MiB   | invalid size '1.5MiB' (expected bytes or e.g. 512KiB, 10MiB, 1GB)",
      "lots     | invalid size 'lots' (expected bytes or e.g. 512KiB, 10MiB, 1GB)",
      "99999999999GiB | size '99999999999GiB' is too large"})
  void badSizesAreReported(String text, String message) {
    assertThat(errors("listener:\n  maxBodySize: " + text + "\n"))
        .containsExactly("listener.maxBodySize: " + message);
  }
}
