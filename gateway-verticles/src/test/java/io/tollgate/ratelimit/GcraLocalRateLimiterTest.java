package io.tollgate.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The in-process GCRA on a scripted clock: admission, spacing, atomicity across limits, bounded memory. */
class GcraLocalRateLimiterTest {

  private static final long T0 = 1_700_000_000_000_000L;

  private final AtomicLong clock = new AtomicLong(T0);
  private final GcraLocalRateLimiter limiter = new GcraLocalRateLimiter(clock::get, 1_000);

  @Test
  void anIdleKeyAdmitsExactlyItsBurstThenOnePermitPerEmissionInterval() {
    RateLimit perMinute = RateLimit.of("per-minute", 50, Duration.ofMinutes(1), "{r}:alice");

    for (int i = 0; i < 50; i++) {
      Decision d = limiter.decide(List.of(perMinute));
      assertThat(d.allowed()).isTrue();
      assertThat(d.remaining()).isEqualTo(49 - i);
      assertThat(d.resetAfter()).isEqualTo(Duration.ofMillis(1_200L * (i + 1)));
    }
    Decision denied = limiter.decide(List.of(perMinute));
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.retryAfter()).isEqualTo(Duration.ofMillis(1_200));
    assertThat(denied.resetAfter()).isEqualTo(Duration.ofMinutes(1));
    assertThat(denied.limit()).isEqualTo(perMinute);

    clock.addAndGet(1_199_999);
    assertThat(limiter.decide(List.of(perMinute)).retryAfter()).isEqualTo(Duration.ofNanos(1_000));
    clock.addAndGet(1);
    assertThat(limiter.decide(List.of(perMinute)).allowed()).isTrue();
    assertThat(limiter.decide(List.of(perMinute)).allowed()).isFalse();
  }

  @Test
  void eightThreadsRacingOnOneKeyGetExactlyTheBurst() throws Exception {
    RateLimit limit = RateLimit.of("per-minute", 50, Duration.ofMinutes(1), "{r}:shared");
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Callable<Boolean>> calls = new ArrayList<>();
      for (int i = 0; i < 400; i++) {
        calls.add(() -> limiter.decide(List.of(limit)).allowed());
      }
      long allowed = 0;
      for (Future<Boolean> call : threads.invokeAll(calls)) {
        allowed += call.get() ? 1 : 0;
      }
      assertThat(allowed).isEqualTo(50);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aBurstSmallerThanThePermitsSpacesRequestsFromTheStart() {
    RateLimit tenPerSecondBurstTwo = new RateLimit("ten", 10, Duration.ofSeconds(1), 2, "{r}:k");

    assertThat(limiter.decide(List.of(tenPerSecondBurstTwo)).allowed()).isTrue();
    assertThat(limiter.decide(List.of(tenPerSecondBurstTwo)).allowed()).isTrue();
    Decision third = limiter.decide(List.of(tenPerSecondBurstTwo));
    assertThat(third.allowed()).isFalse();
    assertThat(third.retryAfter()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void aDenialByOneLimitConsumesFromNone() {
    RateLimit perSecond = RateLimit.of("per-second", 10, Duration.ofSeconds(1), "{u}:s");
    RateLimit perMinute = RateLimit.of("per-minute", 2, Duration.ofMinutes(1), "{u}:m");

    assertThat(limiter.decide(List.of(perSecond, perMinute)).allowed()).isTrue();
    assertThat(limiter.decide(List.of(perSecond, perMinute)).allowed()).isTrue();
    Decision third = limiter.decide(List.of(perSecond, perMinute));
    assertThat(third.allowed()).isFalse();
    assertThat(third.limit()).isEqualTo(perMinute);
    assertThat(third.retryAfter()).isEqualTo(Duration.ofSeconds(30));

    // Two permits taken, not three: the denied request left the per-second limit alone.
    assertThat(limiter.decide(List.of(perSecond)).remaining()).isEqualTo(10 - 3);
  }

  @Test
  void anAllowedRequestReportsTheLimitClosestToExhaustion() {
    RateLimit wide = RateLimit.of("wide", 100, Duration.ofSeconds(1), "{u}:w");
    RateLimit narrow = RateLimit.of("narrow", 3, Duration.ofSeconds(1), "{u}:n");

    Decision d = limiter.decide(List.of(wide, narrow));

    assertThat(d.allowed()).isTrue();
    assertThat(d.limit()).isEqualTo(narrow);
    assertThat(d.remaining()).isEqualTo(2);
    assertThat(d.retryAfter()).isZero();
  }

  @Test
  void deniedByTwoLimitsReportsTheLongerWait() {
    RateLimit shortWait = new RateLimit("short", 10, Duration.ofSeconds(1), 1, "{u}:a");
    RateLimit longWait = new RateLimit("long", 1, Duration.ofSeconds(5), 1, "{u}:b");
    limiter.decide(List.of(shortWait, longWait));

    Decision d = limiter.decide(List.of(shortWait, longWait));

    assertThat(d.allowed()).isFalse();
    assertThat(d.limit()).isEqualTo(longWait);
    assertThat(d.retryAfter()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void memoryStaysBoundedAndIdleKeysAreDropped() {
    GcraLocalRateLimiter small = new GcraLocalRateLimiter(clock::get, 3);
    for (int i = 0; i < 10; i++) {
      small.decide(List.of(RateLimit.of("l", 5, Duration.ofSeconds(1), "{k}:" + i)));
    }
    assertThat(small.size()).isEqualTo(3);

    clock.addAndGet(Duration.ofSeconds(1).toNanos() / 1_000);
    small.decide(List.of(RateLimit.of("l", 5, Duration.ofSeconds(1), "{k}:fresh")));
    assertThat(small.size()).isEqualTo(1);
  }

  @Test
  void refusesRequestsNoLimiterCanDecide() {
    RateLimit a = RateLimit.of("a", 1, Duration.ofSeconds(1), "{k}:same");
    RateLimit b = RateLimit.of("b", 5, Duration.ofSeconds(1), "{k}:same");

    assertThatThrownBy(() -> limiter.decide(List.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> limiter.decide(List.of(a, b))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("{k}:same");
    assertThat(limiter.acquire(List.of()).failed()).isTrue();
  }

  @Test
  void emissionIntervalRoundsUpSoRoundingNeverAdmitsMore() {
    RateLimit sevenPerMinute = RateLimit.of("seven", 7, Duration.ofMinutes(1), "{k}:7");

    assertThat(sevenPerMinute.emissionMicros()).isEqualTo(8_571_429);
    assertThat(sevenPerMinute.dividedBy(3)).isEqualTo(new RateLimit("seven", 2, Duration.ofMinutes(1), 2, "{k}:7"));
    assertThat(sevenPerMinute.dividedBy(100).permits()).isEqualTo(1);
  }

  @Test
  void aShadowLimitThatWouldDenyDoesNotRejectAndIsReported() {
    RateLimit trial = shadow("trial", 1, Duration.ofSeconds(1), "{u}:t");
    RateLimit perSecond = RateLimit.of("per-second", 10, Duration.ofSeconds(1), "{u}:s");

    assertThat(limiter.decide(List.of(trial, perSecond)).shadowDenied()).isEmpty();
    Decision second = limiter.decide(List.of(trial, perSecond));

    assertThat(second.allowed()).isTrue();
    assertThat(second.retryAfter()).isZero();
    assertThat(second.shadowDenied()).containsExactly(trial);
    assertThat(second.limit()).isEqualTo(perSecond);
    assertThat(second.remaining()).isEqualTo(8);
  }

  @Test
  void aShadowDenialDoesNotStopEnforcedLimitsFromConsuming() {
    RateLimit trial = shadow("trial", 1, Duration.ofMinutes(1), "{u}:t");
    RateLimit perSecond = RateLimit.of("per-second", 3, Duration.ofSeconds(1), "{u}:s");

    for (int i = 0; i < 3; i++) {
      assertThat(limiter.decide(List.of(trial, perSecond)).allowed()).isTrue();
    }
    Decision fourth = limiter.decide(List.of(trial, perSecond));

    assertThat(fourth.allowed()).isFalse();
    assertThat(fourth.limit()).isEqualTo(perSecond);
    assertThat(fourth.shadowDenied()).containsExactly(trial);
  }

  @Test
  void aShadowLimitConsumesOnlyWhenItAllows() {
    RateLimit trial = new RateLimit("trial", 2, Duration.ofSeconds(1), 2, "{u}:t", false);

    assertThat(limiter.decide(List.of(trial)).remaining()).isEqualTo(1);
    assertThat(limiter.decide(List.of(trial)).remaining()).isZero();
    Decision wouldDeny = limiter.decide(List.of(trial));
    assertThat(wouldDeny.shadowDenied()).containsExactly(trial);
    assertThat(limiter.decide(List.of(trial)).shadowDenied()).containsExactly(trial);

    // Had the two would-be denials consumed, the key would still be a second in debt here.
    clock.addAndGet(500_000);
    Decision refilled = limiter.decide(List.of(trial));
    assertThat(refilled.shadowDenied()).isEmpty();
    assertThat(refilled.remaining()).isZero();
  }

  @Test
  void anEnforcedDenialConsumesFromTheShadowLimitsToo() {
    RateLimit trial = shadow("trial", 10, Duration.ofSeconds(1), "{u}:t");
    RateLimit perMinute = RateLimit.of("per-minute", 1, Duration.ofMinutes(1), "{u}:m");

    assertThat(limiter.decide(List.of(trial, perMinute)).allowed()).isTrue();
    assertThat(limiter.decide(List.of(trial, perMinute)).allowed()).isFalse();

    assertThat(limiter.decide(List.of(trial)).remaining()).as("one permit taken before, one now").isEqualTo(8);
  }

  @Test
  void headersAreDecidedByAnEnforcedLimitEvenWhenAShadowOneIsCloser() {
    RateLimit trial = shadow("trial", 2, Duration.ofMinutes(1), "{u}:t");
    RateLimit wide = RateLimit.of("wide", 100, Duration.ofSeconds(1), "{u}:w");
    RateLimit narrow = new RateLimit("narrow", 1, Duration.ofSeconds(1), 1, "{u}:n");

    Decision allowed = limiter.decide(List.of(trial, wide));
    assertThat(allowed.limit()).isEqualTo(wide);
    assertThat(allowed.remaining()).isEqualTo(99);
    assertThat(allowed.resetAfter()).isEqualTo(Duration.ofMillis(10));

    limiter.decide(List.of(trial, narrow));
    Decision denied = limiter.decide(List.of(trial, narrow));
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.shadowDenied()).containsExactly(trial);
    assertThat(denied.limit()).as("the shadow limit's 30 s wait is not the client's").isEqualTo(narrow);
    assertThat(denied.retryAfter()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aRequestUnderShadowLimitsOnlyIsAlwaysAllowed() {
    RateLimit trialA = shadow("trial-a", 1, Duration.ofMinutes(1), "{u}:a");
    RateLimit trialB = shadow("trial-b", 5, Duration.ofMinutes(1), "{u}:b");

    for (int i = 0; i < 5; i++) {
      limiter.decide(List.of(trialA, trialB));
    }
    Decision d = limiter.decide(List.of(trialA, trialB));

    assertThat(d.allowed()).isTrue();
    assertThat(d.retryAfter()).isZero();
    assertThat(d.remaining()).isZero();
    assertThat(d.shadowDenied()).containsExactly(trialA, trialB);
    assertThat(d.limit().enforced()).isFalse();
  }

  private static RateLimit shadow(String name, long permits, Duration period, String key) {
    return new RateLimit(name, permits, period, permits, key, false);
  }
}
