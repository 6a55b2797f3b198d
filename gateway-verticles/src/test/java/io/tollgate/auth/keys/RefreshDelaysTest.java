package io.tollgate.auth.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RefreshDelaysTest {

  private static final Duration MIN = Duration.ofSeconds(30);
  private static final Duration MAX = Duration.ofMinutes(10);

  @Test
  void maxAgeIsReadFromCacheControlLessTheAgeSpentInCaches() {
    assertThat(RefreshDelays.freshness("public, max-age=300", null)).isEqualTo(Duration.ofSeconds(300));
    assertThat(RefreshDelays.freshness("Max-Age=120 , must-revalidate", "20")).isEqualTo(Duration.ofSeconds(100));
    assertThat(RefreshDelays.freshness("max-age=\"60\"", null)).isEqualTo(Duration.ofSeconds(60));
    assertThat(RefreshDelays.freshness("max-age=10", "500")).isEqualTo(Duration.ZERO);
    assertThat(RefreshDelays.freshness("max-age=99999999999999999999", null)).isEqualTo(Duration.ofSeconds(1L << 31));
  }

  @Test
  void noStoreAndNoCacheMeanRefreshAsSoonAsAllowed() {
    assertThat(RefreshDelays.freshness("no-store", null)).isZero();
    assertThat(RefreshDelays.freshness("max-age=600, no-cache", null)).isZero();
  }

  @Test
  void absentOrUnreadableMaxAgeStatesNothing() {
    assertThat(RefreshDelays.freshness(null, null)).isNull();
    assertThat(RefreshDelays.freshness("public", null)).isNull();
    assertThat(RefreshDelays.freshness("max-age=soon", null)).isNull();
    assertThat(RefreshDelays.freshness("max-age=-5", null)).isNull();
    assertThat(RefreshDelays.freshness("s-maxage=60", null)).isNull();
  }

  @Test
  void afterSuccessTheFreshnessIsClampedAndAbsentMeansMaxRefresh() {
    assertThat(RefreshDelays.afterSuccess(Duration.ofMinutes(5), MIN, MAX)).isEqualTo(Duration.ofMinutes(5));
    assertThat(RefreshDelays.afterSuccess(Duration.ZERO, MIN, MAX)).isEqualTo(MIN);
    assertThat(RefreshDelays.afterSuccess(Duration.ofDays(1), MIN, MAX)).isEqualTo(MAX);
    assertThat(RefreshDelays.afterSuccess(null, MIN, MAX)).isEqualTo(MAX);
  }

  @Test
  void failuresBackOffExponentiallyFromOneSecondUpToMaxRefresh() {
    assertThat(RefreshDelays.afterFailure(1, MIN, MAX)).isEqualTo(Duration.ofSeconds(1));
    assertThat(RefreshDelays.afterFailure(2, MIN, MAX)).isEqualTo(Duration.ofSeconds(2));
    assertThat(RefreshDelays.afterFailure(6, MIN, MAX)).isEqualTo(Duration.ofSeconds(32));
    assertThat(RefreshDelays.afterFailure(10, MIN, MAX)).isEqualTo(Duration.ofSeconds(512));
    assertThat(RefreshDelays.afterFailure(11, MIN, MAX)).isEqualTo(MAX);
    assertThat(RefreshDelays.afterFailure(Integer.MAX_VALUE, MIN, MAX)).isEqualTo(MAX);
    assertThat(RefreshDelays.afterFailure(1, Duration.ofMillis(250), Duration.ofSeconds(1)))
        .isEqualTo(Duration.ofMillis(250));
    assertThat(RefreshDelays.afterFailure(1, Duration.ofMillis(250), Duration.ofMillis(250)))
        .isEqualTo(Duration.ofMillis(250));
  }
}
