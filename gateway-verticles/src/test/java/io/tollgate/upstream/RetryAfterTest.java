package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@code Retry-After} in both of its forms (RFC 9110 §10.2.3). */
class RetryAfterTest {

  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void delaySecondsAndHttpDatesAreRead() {
    assertThat(RetryAfter.millis("2", NOW)).isEqualTo(2000);
    assertThat(RetryAfter.millis(" 0 ", NOW)).isZero();
    assertThat(RetryAfter.millis("Mon, 23 Nov 2026 10:00:03 GMT", NOW)).isEqualTo(3000);
    assertThat(RetryAfter.millis("Mon, 23 Nov 2026 09:00:00 GMT", NOW)).as("in the past").isZero();
    assertThat(RetryAfter.millis("99999999999999", NOW)).isGreaterThan(1_000_000_000L);
  }

  @Test
  void absentOrUnreadableMeansNoOpinion() {
    assertThat(RetryAfter.millis(null, NOW)).isEqualTo(-1);
    assertThat(RetryAfter.millis("", NOW)).isEqualTo(-1);
    assertThat(RetryAfter.millis("-1", NOW)).isEqualTo(-1);
    assertThat(RetryAfter.millis("soon", NOW)).isEqualTo(-1);
  }
}
