package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Exponential back-off with full jitter. */
class BackoffTest {

  private final Backoff backoff = Backoff.of(Duration.ofMillis(25), Duration.ofMillis(250));

  @Test
  void theCeilingDoublesPerRetryUpToTheMax() {
    assertThat(new long[] {ms(backoff.ceilingNanos(1)), ms(backoff.ceilingNanos(2)), ms(backoff.ceilingNanos(3)),
        ms(backoff.ceilingNanos(4)), ms(backoff.ceilingNanos(5)), ms(backoff.ceilingNanos(60))})
        .containsExactly(25, 50, 100, 200, 250, 250);
  }

  @Test
  void theWaitIsUniformBetweenZeroAndTheCeiling() {
    assertThat(backoff.delayNanos(3, 0.0)).isZero();
    assertThat(ms(backoff.delayNanos(3, 0.5))).isEqualTo(50);
    assertThat(ms(backoff.delayNanos(3, 0.999_999))).isEqualTo(99);
  }

  @Test
  void aHugeBaseDoesNotOverflow() {
    Backoff big = Backoff.of(Duration.ofDays(365), Duration.ofDays(3650));
    assertThat(big.ceilingNanos(30)).isEqualTo(Duration.ofDays(3650).toNanos());
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }
}
