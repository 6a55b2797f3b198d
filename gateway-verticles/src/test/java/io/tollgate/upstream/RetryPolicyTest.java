package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.LoadBalancer;
import io.tollgate.config.OutlierDetectionConfig;
import io.tollgate.config.RetryConfig;
import io.tollgate.observability.Counters;
import io.tollgate.upstream.RetryPolicy.Failure;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which failed attempts are retried, where the retry goes, and how in-flight slots move with it. */
class RetryPolicyTest {

  private static final RetryConfig THREE = new RetryConfig(3, true, true, Set.of(503), Duration.ofMillis(20),
      Duration.ofMillis(100), Duration.ofSeconds(1), 20, 10);

  private final AtomicLong clock = new AtomicLong(7_000_000_000L);
  private final Counters counters = new Counters();
  private final UpstreamHealth node = new UpstreamHealth(counters, clock::get);

  @Test
  void onlyIdempotentMethodsAreRetriedUnlessTheRouteOptsIn() {
    RetryPolicy policy = policy(THREE, false, Duration.ofSeconds(5), 3);
    assertThat(policy.begin(HttpMethod.GET, true)).isNotNull();
    assertThat(policy.begin(HttpMethod.PUT, false)).isNotNull();
    assertThat(policy.begin(HttpMethod.DELETE, true)).isNotNull();
    assertThat(policy.begin(HttpMethod.POST, false)).isNull();
    assertThat(policy.begin(HttpMethod.PATCH, false)).isNull();
    assertThat(policy(THREE, true, Duration.ofSeconds(5), 3).begin(HttpMethod.POST, false)).isNotNull();
    assertThat(policy(RetryConfig.NONE, true, Duration.ofSeconds(5), 3).begin(HttpMethod.GET, true)).isNull();
  }

  @Test
  void theRetriesStopAfterTheConfiguredAttempts() {
    Attempts attempts = policy(THREE, false, Duration.ofSeconds(5), 3).begin(HttpMethod.GET, true);
    attempts.next();
    assertThat(attempts.retryDelayNanos(Failure.CONNECT, null, false)).isBetween(0L, 20_000_000L);
    attempts.next();
    assertThat(attempts.retryDelayNanos(Failure.RESET, null, false)).isBetween(0L, 40_000_000L);
    attempts.next();
    assertThat(attempts.retryDelayNanos(Failure.CONNECT, null, false)).isEqualTo(-1);
    assertThat(attempts.count()).isEqualTo(3);
    assertThat(counters.get("upstream.retries.svc")).isEqualTo(2);
  }

  @Test
  void eachRetryGoesToATargetNotTriedYet() {
    for (LoadBalancer lb : LoadBalancer.values()) {
      Attempts attempts = policy(THREE, false, Duration.ofSeconds(5), 3, lb).begin(HttpMethod.GET, true);
      Set<String> tried = new HashSet<>();
      for (int i = 0; i < 3; i++) {
        tried.add(attempts.next().address());
        attempts.retryDelayNanos(Failure.CONNECT, null, false);
      }
      assertThat(tried).as(lb.name()).hasSize(3);
    }
  }

  @Test
  void aStreamedBodyIsNeverReplayedButABodilessRequestIs() {
    RetryPolicy policy = policy(THREE, false, Duration.ofSeconds(5), 3);
    Attempts upload = policy.begin(HttpMethod.PUT, false);
    upload.next();
    assertThat(upload.retryDelayNanos(Failure.CONNECT, null, false)).as("body still unread").isNotNegative();
    upload.next();
    upload.bodyStarted();
    assertThat(upload.retryDelayNanos(Failure.RESET, null, true)).isEqualTo(-1);

    Attempts get = policy.begin(HttpMethod.GET, true);
    get.next();
    get.bodyStarted();
    assertThat(get.retryDelayNanos(Failure.RESET, null, false)).as("not read to its end yet").isEqualTo(-1);
    assertThat(get.retryDelayNanos(Failure.RESET, null, true)).isNotNegative();
  }

  @Test
  void aSmallSizedBodyIsKeptAndReplayedOnceWhollyRead() {
    RetryConfig keeping = new RetryConfig(3, true, true, Set.of(503), Duration.ofMillis(20), Duration.ofMillis(100),
        Duration.ofSeconds(1), 20, 10, 8);
    RetryPolicy policy = policy(keeping, false, Duration.ofSeconds(5), 3);
    Attempts put = policy.begin(HttpMethod.PUT, false, 8);
    assertThat(put.keepsBody()).isTrue();
    put.next();
    put.bodyStarted();
    put.keep(io.vertx.core.buffer.Buffer.buffer("1234"));
    assertThat(put.keptBody()).as("half of it").isNull();
    assertThat(put.retryDelayNanos(Failure.STATUS, null, false)).as("still arriving").isEqualTo(-1);
    put.keep(io.vertx.core.buffer.Buffer.buffer("5678"));
    assertThat(put.keptBody().toString()).isEqualTo("12345678");
    assertThat(put.retryDelayNanos(Failure.STATUS, null, true)).isNotNegative();

    assertThat(policy.begin(HttpMethod.PUT, false, 9).keepsBody()).as("over the cap").isFalse();
    assertThat(policy.begin(HttpMethod.PUT, false, -1).keepsBody()).as("unsized").isFalse();
  }

  @Test
  void onlyConfiguredFailuresAreRetried() {
    RetryConfig connectOnly = new RetryConfig(3, true, false, Set.of(), Duration.ofMillis(20),
        Duration.ofMillis(100), Duration.ofSeconds(1), 20, 10);
    RetryPolicy policy = policy(connectOnly, false, Duration.ofSeconds(5), 3);
    assertThat(policy.retriesStatus(503)).isFalse();
    Attempts attempts = policy.begin(HttpMethod.GET, true);
    attempts.next();
    assertThat(attempts.retryDelayNanos(Failure.RESET, null, true)).isEqualTo(-1);
    assertThat(attempts.retryDelayNanos(Failure.CONNECT, null, true)).isNotNegative();
  }

  @Test
  void retryAfterIsWaitedForUpToItsCapAndBeyondItTheResponseStands() {
    RetryPolicy policy = policy(THREE, false, Duration.ofSeconds(5), 3);
    Attempts attempts = policy.begin(HttpMethod.GET, true);
    attempts.next();
    assertThat(attempts.retryDelayNanos(Failure.STATUS, "1", true)).isEqualTo(1_000_000_000L);
    attempts.next();
    assertThat(attempts.retryDelayNanos(Failure.STATUS, "2", true)).isEqualTo(-1);
  }

  @Test
  void noRetryStartsAfterTheTotalDeadline() {
    RetryPolicy policy = policy(THREE, false, Duration.ofMillis(500), 3);
    Attempts attempts = policy.begin(HttpMethod.GET, true);
    attempts.next();
    assertThat(attempts.responseTimeoutNanos(30_000_000_000L)).as("the first attempt keeps its own timeout")
        .isEqualTo(30_000_000_000L);
    clock.addAndGet(400_000_000L);
    assertThat(attempts.retryDelayNanos(Failure.CONNECT, null, true)).isNotNegative();
    attempts.next();
    assertThat(attempts.responseTimeoutNanos(30_000_000_000L)).as("a retry gets what is left")
        .isEqualTo(100_000_000L);
    clock.addAndGet(100_000_000L);
    assertThat(attempts.retryDelayNanos(Failure.CONNECT, null, true)).isEqualTo(-1);
  }

  @Test
  void anExhaustedBudgetRefusesAndIsCounted() {
    RetryConfig tight = new RetryConfig(3, true, true, Set.of(), Duration.ofMillis(20), Duration.ofMillis(100),
        Duration.ofSeconds(1), 50, 0);
    RetryPolicy policy = policy(tight, false, Duration.ofSeconds(5), 3);
    Attempts first = policy.begin(HttpMethod.GET, true);
    first.next();
    assertThat(first.retryDelayNanos(Failure.CONNECT, null, true)).as("50 % of one request").isEqualTo(-1);
    Attempts second = policy.begin(HttpMethod.GET, true);
    second.next();
    assertThat(second.retryDelayNanos(Failure.CONNECT, null, true)).as("50 % of two requests").isNotNegative();
    assertThat(counters.get("upstream.retry_budget_exhausted.svc")).isEqualTo(1);
    assertThat(counters.get("upstream.retries.svc")).isEqualTo(1);
  }

  @Test
  void anAttemptHoldsOneInFlightSlotUntilItsRetryOrTheEnd() {
    ServiceTargets targets = ServiceTargets.compile(
        Services.service(LoadBalancer.ROUND_ROBIN, OutlierDetectionConfig.DEFAULT, 1, 1), node);
    Attempts attempts = RetryPolicy.compile(THREE, false, Duration.ofSeconds(5), targets)
        .begin(HttpMethod.GET, true);
    Target a = attempts.next();
    assertThat(a.health().inFlight()).isEqualTo(1);
    attempts.retryDelayNanos(Failure.CONNECT, null, true);
    assertThat(a.health().inFlight()).isZero();
    Target b = attempts.next();
    assertThat(b).isNotSameAs(a);
    assertThat(b.health().inFlight()).isEqualTo(1);
    attempts.release().run();
    attempts.release().run();
    assertThat(b.health().inFlight()).as("released once").isZero();
  }

  private RetryPolicy policy(RetryConfig config, boolean nonIdempotent, Duration total, int targets) {
    return policy(config, nonIdempotent, total, targets, LoadBalancer.LEAST_REQUEST);
  }

  private RetryPolicy policy(RetryConfig config, boolean nonIdempotent, Duration total, int targets,
      LoadBalancer lb) {
    int[] weights = new int[targets];
    java.util.Arrays.fill(weights, 1);
    return RetryPolicy.compile(config, nonIdempotent, total,
        ServiceTargets.compile(Services.service(lb, OutlierDetectionConfig.DEFAULT, weights), node));
  }
}
