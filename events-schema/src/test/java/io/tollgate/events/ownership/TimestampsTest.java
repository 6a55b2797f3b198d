package io.tollgate.events.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DateTimeException;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

  @ParameterizedTest
  @ValueSource(strings = {"2026-11-23T10:15:30Z", "2026-11-23T10:15:30.1Z", "2026-11-23T10:15:30.123Z",
      "2026-11-23T10:15:30.123456Z", "2026-11-23T10:15:30.123456789Z", "1970-01-01T00:00:00Z",
      "1969-12-31T23:59:59.999Z", "2024-02-29T23:59:59Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z"})
  void utcFormsParseAsInstantParseDoes(String text) {
    assertThat(Timestamps.parse(text)).isEqualTo(Instant.parse(text));
  }

  @ParameterizedTest
  @CsvSource({"2026-11-23T12:15:30+02:00, 2026-11-23T10:15:30Z", "2026-11-23T05:15:30.5-05:00, 2026-11-23T10:15:30.5Z",
      "2026-11-23t10:15:30z, 2026-11-23T10:15:30Z", "2026-11-23T10:15:30+00:00, 2026-11-23T10:15:30Z"})
  void otherOffsetsFallBackToTheGeneralParser(String text, String utc) {
    assertThat(Timestamps.parse(text)).isEqualTo(Instant.parse(utc));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "yesterday", "2026-11-23", "2026-11-23T10:15:30", "2026-02-30T10:15:30Z",
      "2026-13-01T10:15:30Z", "2026-11-23T24:00:00Z", "2026-11-23T10:60:00Z",
      "2026-11-23T10:15:30.1234567890Z", "2026-11-23 10:15:30Z", "2026-1x-23T10:15:30Z"})
  void malformedTextIsADateTimeException(String text) {
    assertThatThrownBy(() -> Timestamps.parse(text)).isInstanceOf(DateTimeException.class);
  }
}
