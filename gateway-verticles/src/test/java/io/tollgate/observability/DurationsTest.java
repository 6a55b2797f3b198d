package io.tollgate.observability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

  @ParameterizedTest
  @CsvSource({
      "0,             0.000",
      "999,           0.000",
      "1000,          0.001",
      "10000,         0.010",
      "99999,         0.099",
      "100000,        0.100",
      "1000000,       1.000",
      "1234567,       1.234",
      "12345678901,   12345.678",
      "-1,            0.000",
      "-5000000,      0.000",
      "-9223372036854775808, 0.000",
      "9223372036854775807,  9223372036854.775"})
  void millisHasThreeDecimalsAndTruncates(long nanos, String expected) {
    assertThat(Durations.millis(nanos)).isEqualTo(expected);
  }
}
