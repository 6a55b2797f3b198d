package io.tollgate.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testkit.redis.TestKeyspace;
import io.tollgate.testkit.redis.TestRedis;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The in-process limiter decides exactly like the Lua script in Redis, given the same arrival times: a scripted
 * sequence of timestamps drives both (the script takes a fixed "now" instead of Redis TIME for this). One of the
 * limits is a shadow limit, so both also agree that its would-be denials reject nothing and consume nothing.
 */
@ExtendWith(BlockedThreadGuard.class)
class GcraParityIT {

  private static final TestKeyspace KEYS = TestRedis.forClass("GcraParityIT");
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Vertx vertx = Vertx.vertx(BlockedThreadGuard.vertxOptions());

  @AfterEach
  void stop() {
    Await.result(vertx.close(), WAIT);
    KEYS.flush();
  }

  @Test
  void localAndRedisAgreeOnEveryDecisionOfAScriptedSequence() {
    GcraRedisRateLimiter redis = new GcraRedisRateLimiter(vertx.getOrCreateContext(), KEYS.options(),
        GcraRedisRateLimiter.Settings.defaults().withBudget(Duration.ofSeconds(2)).withKeyPrefix(KEYS.prefix()));
    AtomicLong clock = new AtomicLong(System.currentTimeMillis() * 1_000);
    GcraLocalRateLimiter local = new GcraLocalRateLimiter(clock::get, 1_000);
    List<RateLimit> limits = List.of(
        new RateLimit("five-per-second-burst-3", 5, Duration.ofSeconds(1), 3, "{parity}:a"),
        RateLimit.of("twenty-per-minute", 20, Duration.ofMinutes(1), "{parity}:b"),
        new RateLimit("seven-per-minute-burst-2", 7, Duration.ofMinutes(1), 2, "{parity}:c"),
        new RateLimit("shadow-one-per-second", 1, Duration.ofSeconds(1), 1, "{parity}:d", false));
    Random random = new Random(42);
    int allowed = 0;
    int shadowDenied = 0;
    int shadowOnly = 0;

    for (int step = 0; step < 400; step++) {
      clock.addAndGet(random.nextInt(4) == 0 ? 0 : random.nextInt(400_000));
      List<RateLimit> subset = new ArrayList<>();
      for (RateLimit limit : limits) {
        if (random.nextBoolean()) {
          subset.add(limit);
        }
      }
      if (subset.isEmpty()) {
        subset.add(limits.get(step % limits.size()));
      }

      Decision inProcess = local.decide(subset);
      Decision inRedis = Await.result(redis.acquireAt(subset, clock.get()), WAIT);

      assertThat(inRedis).as("step %d at +%d µs with %s", step, clock.get(), subset).isEqualTo(inProcess);
      allowed += inProcess.allowed() ? 1 : 0;
      shadowDenied += inProcess.shadowDenied().isEmpty() ? 0 : 1;
      shadowOnly += subset.stream().noneMatch(RateLimit::enforced) ? 1 : 0;
    }
    assertThat(allowed).as("the sequence exercises both answers").isBetween(50, 350);
    assertThat(shadowDenied).as("the shadow limit would have denied some requests").isGreaterThan(20);
    assertThat(shadowOnly).as("some requests carry the shadow limit alone").isGreaterThan(5);
  }
}
