package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.CircuitBreakerConfig;
import io.tollgate.config.LoadBalancer;
import io.tollgate.config.OutlierDetectionConfig;
import io.tollgate.config.ServiceConfig;
import io.tollgate.config.TimeoutsConfig;
import io.tollgate.observability.Counters;
import io.tollgate.upstream.CircuitBreaker.State;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The circuit breaker's state machine with a fake clock: trip rules, open time, trial calls, the pickers' view. */
class CircuitBreakerTest {

  /** 50 % failures or 50 % slow (over 100 ms) in the last 10 calls, at least 4 of them; open 5 s; 2 trial calls. */
  private static final CircuitBreakerConfig CONFIG = new CircuitBreakerConfig(50, 50, Duration.ofMillis(100), 10, 4,
      Duration.ofSeconds(5), 2);
  private static final long FAST = 1_000_000;
  private static final long SLOW = 200_000_000;

  private final AtomicLong clock = new AtomicLong(3_000_000_000L);
  private final Counters counters = new Counters();
  private final UpstreamHealth node = new UpstreamHealth(counters, clock::get);
  private final CircuitBreaker breaker = node.breaker("svc", "10.0.0.1:80", CONFIG);

  @Test
  void aFailureRateAtTheThresholdOpensOnceTheMinimumIsReached() {
    breaker.record(false, FAST);
    breaker.record(false, FAST);
    breaker.record(true, -1);
    assertThat(breaker.state()).as("3 calls < minimum 4").isEqualTo(State.CLOSED);
    breaker.record(false, FAST);
    breaker.record(true, -1);
    breaker.record(false, FAST);
    breaker.record(false, FAST);
    assertThat(breaker.state()).as("2 of 7 failed").isEqualTo(State.CLOSED);
    breaker.record(true, -1);
    breaker.record(true, -1);
    assertThat(breaker.state()).as("4 of 9 failed").isEqualTo(State.CLOSED);
    breaker.record(true, -1);
    assertThat(breaker.state()).as("5 of 10 failed: 50 %").isEqualTo(State.OPEN);
    assertThat(breaker.tryAcquire()).isFalse();
    assertThat(breaker.isAvailable()).isFalse();
    assertThat(breaker.openForMillis()).isEqualTo(5_000);
    assertThat(counters.get("upstream.circuit.open.svc")).isEqualTo(1);
  }

  @Test
  void theCallThatReachesTheMinimumCanOpenIt() {
    breaker.record(true, -1);
    breaker.record(true, -1);
    breaker.record(true, -1);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    breaker.record(false, FAST);
    assertThat(breaker.state()).as("3 of 4 failed").isEqualTo(State.OPEN);
  }

  @Test
  void slowCallsOpenItToo() {
    for (int i = 0; i < 4; i++) {
      breaker.record(false, i % 2 == 0 ? SLOW : FAST);
    }
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }

  @Test
  void onlyTheLastWindowOfCallsCounts() {
    for (int i = 0; i < 4; i++) {
      breaker.record(true, -1);
      breaker.record(false, FAST);
      breaker.record(false, FAST);
      if (i == 0) {
        breaker.record(false, FAST); // 1 failure in 4
      }
    }
    assertThat(breaker.window()).isEqualTo(new CircuitBreaker.Window(10, 3, 0));
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
  }

  @Test
  void aTimeBasedWindowJudgesTheLastSecondsOfCalls() {
    CircuitBreaker timed = node.breaker("svc", "10.0.0.2:80", new CircuitBreakerConfig(50, 100,
        Duration.ofMillis(100), 0, 4, Duration.ofSeconds(5), 2, Duration.ofSeconds(3)));
    timed.record(true, -1);
    timed.record(true, -1);
    timed.record(false, FAST);
    assertThat(timed.state()).as("3 calls < minimum 4").isEqualTo(State.CLOSED);
    clock.addAndGet(Duration.ofSeconds(3).toNanos());
    timed.record(false, FAST);
    assertThat(timed.window()).as("the first three left the window").isEqualTo(new CircuitBreaker.Window(1, 0, 0));
    timed.record(false, FAST);
    timed.record(true, -1);
    assertThat(timed.state()).isEqualTo(State.CLOSED);
    timed.record(true, -1);
    assertThat(timed.state()).as("2 of 4 in the last 3 s").isEqualTo(State.OPEN);
    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(timed.tryAcquire()).isTrue();
    assertThat(timed.tryAcquire()).isTrue();
    timed.record(false, FAST);
    timed.record(false, FAST);
    assertThat(timed.state()).isEqualTo(State.CLOSED);
    assertThat(timed.window().calls()).as("a fresh window").isZero();
  }

  @Test
  void afterTheOpenDurationTrialCallsDecide() {
    open();
    clock.addAndGet(Duration.ofSeconds(5).toNanos() - 1);
    assertThat(breaker.tryAcquire()).isFalse();
    clock.addAndGet(1);
    assertThat(breaker.isAvailable()).isTrue();
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.tryAcquire()).as("two trial calls only").isFalse();
    assertThat(breaker.isAvailable()).isFalse();
    breaker.record(false, FAST);
    assertThat(breaker.state()).isEqualTo(State.HALF_OPEN);
    breaker.record(false, FAST);
    assertThat(breaker.state()).isEqualTo(State.CLOSED);
    assertThat(breaker.window().calls()).as("a fresh window").isZero();
    assertThat(counters.get("upstream.circuit.half-open.svc")).isEqualTo(1);
    assertThat(counters.get("upstream.circuit.closed.svc")).isEqualTo(1);
  }

  @Test
  void aFailedOrSlowTrialCallOpensItAgain() {
    open();
    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.record(false, SLOW);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(breaker.openForMillis()).isEqualTo(5_000);
    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(breaker.tryAcquire()).isTrue();
    breaker.record(true, -1);
    assertThat(breaker.state()).isEqualTo(State.OPEN);
    assertThat(counters.get("upstream.circuit.open.svc")).isEqualTo(3);
  }

  @Test
  void trialCallsThatNeverReportAreReplacedAfterAnotherOpenDuration() {
    open();
    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.tryAcquire()).isTrue();
    assertThat(breaker.tryAcquire()).isFalse();
    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(breaker.tryAcquire()).as("the clients of both trials left").isTrue();
  }

  @Test
  void aReloadKeepsTheBreakerUnlessItsConfigChanged() {
    open();
    assertThat(node.breaker("svc", "10.0.0.1:80", CONFIG)).isSameAs(breaker);
    CircuitBreaker other = node.breaker("svc", "10.0.0.1:80",
        new CircuitBreakerConfig(60, 50, Duration.ofMillis(100), 10, 4, Duration.ofSeconds(5), 2));
    assertThat(other).isNotSameAs(breaker);
    assertThat(other.state()).isEqualTo(State.CLOSED);
    assertThat(node.breaker("svc", "10.0.0.1:80", null)).isNull();
    assertThat(node.findBreaker("svc", "10.0.0.1:80")).isNull();
  }

  @Test
  void thePickersSkipOpenCircuitsAndReportWhenAllAreOpen() {
    ServiceConfig config = new ServiceConfig("svc2", Services.service(LoadBalancer.LEAST_REQUEST,
        OutlierDetectionConfig.DEFAULT, 1, 1).targets(), TimeoutsConfig.DEFAULT, 8, LoadBalancer.LEAST_REQUEST,
        OutlierDetectionConfig.DEFAULT, io.tollgate.config.RetryConfig.NONE, CONFIG, null);
    ServiceTargets targets = ServiceTargets.compile(config, node);
    Target a = targets.targets().get(0);
    Target b = targets.targets().get(1);
    for (int i = 0; i < 4; i++) {
      a.failed();
    }
    assertThat(a.breaker().state()).isEqualTo(State.OPEN);
    for (int i = 0; i < 50; i++) {
      assertThat(targets.acquire(0)).isSameAs(b);
    }
    for (int i = 0; i < 4; i++) {
      b.failed();
    }
    assertThat(targets.acquire(0)).isNull();
    assertThat(targets.openCircuitMillis()).isEqualTo(5_000);
    clock.addAndGet(Duration.ofSeconds(5).toNanos());
    assertThat(targets.acquire(0)).as("a trial call").isNotNull();
  }

  private void open() {
    for (int i = 0; i < 4; i++) {
      breaker.record(true, -1);
    }
    assertThat(breaker.state()).isEqualTo(State.OPEN);
  }
}
