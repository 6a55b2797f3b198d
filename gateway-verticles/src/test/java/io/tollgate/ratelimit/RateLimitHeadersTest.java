package io.tollgate.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code RateLimit-Policy}, {@code RateLimit} and {@code Retry-After} values a client reads. */
class RateLimitHeadersTest {

  private static final RateLimit PER_SECOND = RateLimit.of("per-second", 10, Duration.ofSeconds(1), "{k}:s");
  private static final RateLimit PER_MINUTE = RateLimit.of("per-minute", 1000, Duration.ofMinutes(1), "{k}:m");

  private static RateLimit shadow(String name, long permits, Duration period) {
    return new RateLimit(name, permits, period, permits, "{k}:" + name, false);
  }

  @Test
  void policyListsEveryEnforcedLimitInOrder() {
    assertThat(RateLimitHeaders.policy(List.of(PER_SECOND)))
        .isEqualTo("\"per-second\";q=10;w=1");
    assertThat(RateLimitHeaders.policy(List.of(PER_SECOND, PER_MINUTE)))
        .isEqualTo("\"per-second\";q=10;w=1, \"per-minute\";q=1000;w=60");
  }

  @Test
  void shadowLimitsAreNotAdvertised() {
    RateLimit trial = shadow("trial", 5, Duration.ofSeconds(1));

    assertThat(RateLimitHeaders.policy(List.of(trial, PER_MINUTE))).isEqualTo("\"per-minute\";q=1000;w=60");
    assertThat(RateLimitHeaders.policy(List.of(trial))).isNull();
  }

  @ParameterizedTest(name = "{0} per {1} → q={2};w={3}")
  @CsvSource({
      "5,    PT0.5S, 10,   1",
      "1,    PT0.1S, 10,   1",
      "3,    PT0.3S, 10,   1",
      "1,    PT0.999S, 1,  1",
      "100,  PT10S,  100,  10",
      "3,    PT1H,   3,    3600",
      "1,    PT24H,  1,    86400",
      "3,    PT1.5S, 4,    2",
      "10,   PT2.5S, 12,   3"})
  void windowsAreWholeSecondsAndOtherPeriodsAreScaledToTheNextOneRoundingTheQuotaDown(long permits, Duration period, long q, long w) {
    RateLimit limit = RateLimit.of("l", permits, period, "{k}:l");

    assertThat(RateLimitHeaders.policy(List.of(limit))).isEqualTo("\"l\";q=" + q + ";w=" + w);
  }

  @Test
  void allowedRequestsAdvertiseRemainingAndSecondsUntilFullRoundedUp() {
    Decision allowed = new Decision(true, 7, Duration.ZERO, Duration.ofMillis(1_200), PER_MINUTE, List.of());

    assertThat(RateLimitHeaders.rateLimit(allowed)).isEqualTo("\"per-minute\";r=7;t=2");
  }

  @Test
  void deniedRequestsAdvertiseTheRetryDelayRoundedUp() {
    Decision denied = new Decision(false, 0, Duration.ofMillis(2_001), Duration.ofSeconds(60), PER_MINUTE, List.of());

    assertThat(RateLimitHeaders.rateLimit(denied)).isEqualTo("\"per-minute\";r=0;t=3");
  }

  @Test
  void anExactSecondIsNotRoundedFurther() {
    Decision allowed = new Decision(true, 0, Duration.ZERO, Duration.ofSeconds(1), PER_SECOND, List.of());

    assertThat(RateLimitHeaders.rateLimit(allowed)).isEqualTo("\"per-second\";r=0;t=1");
  }

  @ParameterizedTest
  @CsvSource({"PT0S, 1", "PT0.000001S, 1", "PT1S, 1", "PT1.000001S, 2", "PT29.5S, 30"})
  void retryAfterIsWholeSecondsRoundedUpAndAtLeastOne(Duration retryAfter, String header) {
    assertThat(RateLimitHeaders.retryAfter(retryAfter)).isEqualTo(header);
  }
}
