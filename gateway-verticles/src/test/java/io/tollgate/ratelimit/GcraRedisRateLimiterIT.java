package io.tollgate.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.testkit.redis.TestKeyspace;
import io.tollgate.testkit.redis.TestRedis;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Redis limiter against a real Redis: exact admission, atomicity across limits, spacing, latency. */
@ExtendWith(BlockedThreadGuard.class)
class GcraRedisRateLimiterIT {

  private static final Logger LOG = LoggerFactory.getLogger(GcraRedisRateLimiterIT.class);
  private static final TestKeyspace KEYS = TestRedis.forClass("GcraRedisRateLimiterIT");
  private static final Duration WAIT = Duration.ofSeconds(10);
  /** Correctness tests must not depend on this machine's latency; the budget has its own tests. */
  private static final Duration GENEROUS_BUDGET = Duration.ofSeconds(2);

  private final Vertx vertx = Vertx.vertx(BlockedThreadGuard.vertxOptions());
  private final Context context = vertx.getOrCreateContext();
  private final GcraRedisRateLimiter limiter = new GcraRedisRateLimiter(context, KEYS.options(),
      GcraRedisRateLimiter.Settings.defaults().withBudget(GENEROUS_BUDGET).withKeyPrefix(KEYS.prefix()));

  @AfterEach
  void stop() {
    Await.result(vertx.close(), WAIT);
    KEYS.flush();
  }

  @Test
  void twoHundredParallelRequestsOnOneKeyAdmitExactlyTheBurst() {
    RateLimit limit = RateLimit.of("per-minute", 50, Duration.ofMinutes(1), "{route-1}:client:203.0.113.7");

    List<Decision> decisions = Await.result(onContext(() -> Future.all(repeat(200, () -> limiter.acquire(List.of(limit))))
        .map(all -> all.<Decision>list())), WAIT);

    assertThat(decisions.stream().filter(Decision::allowed).count()).isEqualTo(50);
    assertThat(decisions.stream().filter(Decision::allowed).map(Decision::remaining))
        .containsExactlyInAnyOrderElementsOf(range(0, 50));
    assertThat(decisions.stream().filter(Decision::denied))
        .allSatisfy(d -> assertThat(d.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(1_200)));
    long ttl = (Long) KEYS.redis().call("PTTL", KEYS.key(limit.key()));
    assertThat(ttl).as("the key expires when it would be full again").isBetween(55_000L, 60_000L);
  }

  @Test
  void aBatchSentAfterTheScriptCacheWasFlushedIsDecidedOnceEach() {
    RateLimit limit = RateLimit.of("per-minute", 10, Duration.ofMinutes(1), "{route-2}:client:203.0.113.8");
    Await.result(onContext(() -> limiter.acquire(List.of(limit))), WAIT); // connected, script cached
    KEYS.redis().call("SCRIPT", "FLUSH");

    // Calls made in one event-loop turn travel as one pipelined batch: every EVALSHA gets NOSCRIPT, and the batch
    // is sent again as EVALs. Nothing may be counted twice.
    List<Decision> decisions = Await.result(onContext(() -> Future.all(repeat(15, () -> limiter.acquire(List.of(limit))))
        .map(all -> all.<Decision>list())), WAIT);

    assertThat(decisions.stream().filter(Decision::allowed).count()).isEqualTo(9);
    assertThat(decisions.stream().filter(Decision::allowed).map(Decision::remaining))
        .containsExactlyInAnyOrderElementsOf(range(0, 9));
  }

  @Test
  void futuresCompleteOnTheCallersEventLoop() {
    RateLimit limit = RateLimit.of("l", 5, Duration.ofSeconds(1), "{t}:thread");

    Boolean onContext = Await.result(onContext(() -> limiter.acquire(List.of(limit))
        .map(d -> Vertx.currentContext() == context)), WAIT);

    assertThat(onContext).isTrue();
  }

  @Test
  void aDenialByOneLimitConsumesFromNone() {
    // Per minute, not per second: real Redis time passes between calls, and must not refill a permit here.
    RateLimit perMinute = RateLimit.of("per-minute", 10, Duration.ofMinutes(1), "{user:alice}:s");
    RateLimit perHour = RateLimit.of("per-hour", 2, Duration.ofHours(1), "{user:alice}:h");
    List<RateLimit> both = List.of(perMinute, perHour);
    acquire(both);
    acquire(both);
    Object perMinuteState = KEYS.redis().call("GET", KEYS.key(perMinute.key()));

    Decision third = acquire(both);

    assertThat(third.allowed()).isFalse();
    assertThat(third.limit()).isEqualTo(perHour);
    assertThat(third.retryAfter()).isBetween(Duration.ofMinutes(29), Duration.ofMinutes(30));
    assertThat(KEYS.redis().call("GET", KEYS.key(perMinute.key()))).isEqualTo(perMinuteState);
    assertThat(acquire(List.of(perMinute)).remaining()).isEqualTo(10 - 3);
  }

  @Test
  void afterTheBurstOnePermitPerEmissionInterval() throws InterruptedException {
    RateLimit fivePerSecond = RateLimit.of("five", 5, Duration.ofSeconds(1), "{spacing}:k");
    for (int i = 0; i < 5; i++) {
      assertThat(acquire(List.of(fivePerSecond)).allowed()).isTrue();
    }
    Decision denied = acquire(List.of(fivePerSecond));
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(200));

    Thread.sleep(denied.retryAfter().toMillis() + 5);

    assertThat(acquire(List.of(fivePerSecond)).allowed()).isTrue();
    Decision again = acquire(List.of(fivePerSecond));
    assertThat(again.allowed()).isFalse();
    assertThat(again.retryAfter()).isGreaterThan(Duration.ofMillis(100));
  }

  @Test
  void limitsOfOneRequestMustShareAHashTag() {
    RateLimit user = RateLimit.of("user", 10, Duration.ofSeconds(1), "{user:alice}:s");
    RateLimit route = RateLimit.of("route", 1000, Duration.ofSeconds(1), "{route-1}:all");

    assertThatThrownBy(() -> acquire(List.of(user, route))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hash tag");
    assertThat(GcraRedisRateLimiter.hashTag("p:{a}:{b}")).isEqualTo("a");
    assertThat(GcraRedisRateLimiter.hashTag("p:{}:{b}")).isEqualTo("p:{}:{b}");
  }

  @Test
  void logsCallLatency() {
    RateLimit roomy = RateLimit.of("roomy", 1_000_000, Duration.ofSeconds(1), "{latency}:k");
    int warmup = 2_000;
    int calls = 10_000;
    Await.result(onContext(() -> sequential(roomy, new long[warmup])), Duration.ofSeconds(60));

    long[] sequential = new long[calls];
    Await.result(onContext(() -> sequential(roomy, sequential)), Duration.ofSeconds(120));
    long[] concurrent = Await.result(onContext(() -> concurrent(roomy, calls, 16)), Duration.ofSeconds(120));

    LOG.info("Redis GCRA call latency over {} calls, one at a time: {}", calls, percentiles(sequential));
    LOG.info("Redis GCRA call latency over {} calls, 16 in flight: {}", calls, percentiles(concurrent));
    assertThat(Arrays.stream(sequential).min().orElseThrow()).isPositive();
  }

  /** One call at a time; each next call starts from the previous reply's callback (no nested futures). */
  private Future<Void> sequential(RateLimit limit, long[] latencies) {
    Promise<Void> done = Promise.promise();
    AtomicInteger next = new AtomicInteger();
    step(limit, next, latencies, done);
    return done.future();
  }

  private Future<long[]> concurrent(RateLimit limit, int calls, int inFlight) {
    long[] latencies = new long[calls];
    AtomicInteger next = new AtomicInteger();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < inFlight; i++) {
      Promise<Void> lane = Promise.promise();
      step(limit, next, latencies, lane);
      lanes.add(lane.future());
    }
    return Future.all(lanes).map(all -> latencies);
  }

  private void step(RateLimit limit, AtomicInteger next, long[] latencies, Promise<Void> done) {
    int index = next.getAndIncrement();
    if (index >= latencies.length) {
      done.tryComplete();
      return;
    }
    long started = System.nanoTime();
    limiter.acquire(List.of(limit)).onComplete(result -> {
      if (result.failed()) {
        done.tryFail(result.cause());
        return;
      }
      latencies[index] = System.nanoTime() - started;
      step(limit, next, latencies, done);
    });
  }

  private static String percentiles(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return String.format("p50 %.3f ms, p99 %.3f ms, max %.3f ms", sorted[sorted.length / 2] / 1e6,
        sorted[(int) (sorted.length * 0.99)] / 1e6, sorted[sorted.length - 1] / 1e6);
  }

  private Decision acquire(List<RateLimit> limits) {
    return Await.result(onContext(() -> limiter.acquire(limits)), WAIT);
  }

  private <T> Future<T> onContext(java.util.function.Supplier<Future<T>> work) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> work.get().onComplete(promise));
    return promise.future();
  }

  private static <T> List<Future<T>> repeat(int times, java.util.function.Supplier<Future<T>> call) {
    List<Future<T>> futures = new ArrayList<>(times);
    for (int i = 0; i < times; i++) {
      futures.add(call.get());
    }
    return futures;
  }

  private static List<Long> range(long from, long to) {
    List<Long> values = new ArrayList<>();
    for (long v = from; v < to; v++) {
      values.add(v);
    }
    return values;
  }
}
