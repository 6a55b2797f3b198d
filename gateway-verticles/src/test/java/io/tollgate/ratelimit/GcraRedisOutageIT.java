package io.tollgate.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.testkit.redis.TestRedis;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Redis limiter when its private Redis is paused, stopped and restarted: unavailable, then back by itself. */
@ExtendWith(BlockedThreadGuard.class)
class GcraRedisOutageIT {

  private static final Duration WAIT = Duration.ofSeconds(10);
  /** Two shared cores: generous upper slack so load does not fail timing assertions. */
  private static final long LATE_MS = 700;
  private static final RateLimit LIMIT = RateLimit.of("per-minute", 100, Duration.ofMinutes(1), "{outage}:k");

  private final TestRedis redis = TestRedis.startPrivate();
  private final Vertx vertx = Vertx.vertx(BlockedThreadGuard.vertxOptions());
  private final Context context = vertx.getOrCreateContext();

  @AfterEach
  void stop() {
    Await.result(vertx.close(), WAIT);
    redis.close();
  }

  @Test
  void aPausedRedisFailsTheCallOnceTheDefaultBudgetIsSpent() {
    GcraRedisRateLimiter limiter = limiter(GcraRedisRateLimiter.Settings.defaults());
    awaitAllowed(limiter);
    redis.pause(Duration.ofMillis(1_500));

    long started = System.nanoTime();
    Throwable failure = failure(limiter);
    long elapsedMs = (System.nanoTime() - started) / 1_000_000;

    assertThat(failure).isInstanceOf(RateLimiterUnavailable.class).hasMessageContaining("10 ms");
    assertThat(elapsedMs).isBetween(9L, LATE_MS);
    redis.unpause();
    awaitAllowed(limiter);
  }

  @Test
  void aStoppedRedisIsUnavailableAndARestartedOneServesAgainWithoutHelp() {
    GcraRedisRateLimiter limiter = limiter(GcraRedisRateLimiter.Settings.defaults()
        .withBudget(Duration.ofMillis(500)));
    assertThat(awaitAllowed(limiter).remaining()).isEqualTo(99);

    redis.stop();
    long started = System.nanoTime();
    Throwable failure = failure(limiter);
    assertThat(failure).isInstanceOf(RateLimiterUnavailable.class);
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(500 + LATE_MS);
    assertThat(failure(limiter)).as("still down: the reconnect fails too").isInstanceOf(RateLimiterUnavailable.class);

    redis.start();
    // The restarted server is empty (no script, no keys): NOSCRIPT is answered with EVAL, the count starts over.
    assertThat(awaitAllowed(limiter).remaining()).isEqualTo(99);
    assertThat(acquire(limiter).result().remaining()).isEqualTo(98);
  }

  @Test
  void aSlowBatchIsOneFailedRoundTripAndARecycledConnectionRunsNothingItHadQueued() {
    GcraRedisRateLimiter limiter = limiter(GcraRedisRateLimiter.Settings.defaults()
        .withBudget(Duration.ofMillis(100)));
    List<String> trips = new java.util.concurrent.CopyOnWriteArrayList<>();
    context.runOnContext(v -> limiter.observe(new GcraRedisRateLimiter.RoundTrips() {
      @Override
      public void answered(long nanos) {
        trips.add("answered");
      }

      @Override
      public void failed(RateLimiterUnavailable why, long nanos) {
        trips.add("failed");
      }
    }));
    assertThat(awaitAllowed(limiter).remaining()).isEqualTo(99);
    trips.clear();
    redis.pause(Duration.ofMillis(1_500));

    // Five decisions asked in one event-loop turn travel as one batch: one slow round trip, not five.
    List<Throwable> failures = Await.result(Future.<List<Throwable>>future(p -> context.runOnContext(v -> {
      List<Future<Decision>> five = new java.util.ArrayList<>();
      for (int i = 0; i < 5; i++) {
        five.add(limiter.acquire(List.of(LIMIT)));
      }
      Future.join(five).onComplete(all -> {
        limiter.recycle(); // what the runtime does when Redis is marked down
        p.complete(five.stream().map(Future::cause).toList());
      });
    })), WAIT);
    assertThat(failures).hasSize(5).allSatisfy(f -> assertThat(f).isInstanceOf(RateLimiterUnavailable.class));
    assertThat(trips).containsExactly("failed");

    redis.unpause();
    // The five EVALSHAs queued on the dropped connection never ran: the next decision sees the whole allowance.
    assertThat(awaitAllowed(limiter).remaining()).isEqualTo(98);
    assertThat(trips).endsWith("answered");
  }

  private GcraRedisRateLimiter limiter(GcraRedisRateLimiter.Settings settings) {
    return new GcraRedisRateLimiter(context, redis.options(), settings.withKeyPrefix("it:"));
  }

  /** Retries for a few seconds: reconnecting after an outage takes a call or two. */
  private Decision awaitAllowed(GcraRedisRateLimiter limiter) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      Future<Decision> attempt = acquire(limiter);
      if (attempt.succeeded()) {
        assertThat(attempt.result().allowed()).isTrue();
        return attempt.result();
      }
      assertThat(attempt.cause()).isInstanceOf(RateLimiterUnavailable.class);
      assertThat(System.nanoTime()).as("Redis usable again within " + WAIT).isLessThan(deadline);
      sleep(50);
    }
  }

  private Throwable failure(GcraRedisRateLimiter limiter) {
    Future<Decision> attempt = acquire(limiter);
    assertThat(attempt.failed()).as("expected a failure, got %s", attempt.result()).isTrue();
    return attempt.cause();
  }

  /** Completes (either way) on the limiter's context and waits; returns the completed future. */
  private Future<Decision> acquire(GcraRedisRateLimiter limiter) {
    Promise<Future<Decision>> settled = Promise.promise();
    context.runOnContext(v -> limiter.acquire(List.of(LIMIT)).onComplete(r -> settled.complete(
        r.succeeded() ? Future.succeededFuture(r.result()) : Future.failedFuture(r.cause()))));
    return Await.result(settled.future(), WAIT);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
