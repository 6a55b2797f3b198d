package io.tollgate.ratelimit;

import io.micrometer.core.instrument.Timer;
import io.tollgate.config.RateLimitingConfig.RedisConfig;
import io.tollgate.observability.Counters;
import io.tollgate.pipeline.AttributeKey;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.redis.client.RedisOptions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The per-ingress-instance side of rate limiting: this instance's Redis limiter (one connection on its event
 * loop, so a decision never changes thread), its view of Redis health, and the node's in-process limiter.
 * Confined to the instance's event loop; handed to the policy through the request context.
 *
 * <p>The Redis limiter is created on first use for the {@link RedisConfig} a snapshot declares, and replaced when
 * a later snapshot declares a different one.
 */
public final class RateLimitRuntime {

  public static final AttributeKey<RateLimitRuntime> KEY = AttributeKey.named("rate-limit-runtime");

  private final Context context;
  private final RateLimitNode node;
  private final Counters counters;
  private final Timer redisDecisions;
  private RedisConfig redisConfig;
  private GcraRedisRateLimiter redis;
  private RedisHealth health;

  /** @param redisDecisions records the time of every Redis call (success, failure or over budget) */
  public RateLimitRuntime(Context context, RateLimitNode node, Counters counters, Timer redisDecisions) {
    this.context = context;
    this.redisDecisions = redisDecisions;
    this.node = node;
    this.counters = counters;
  }

  /** The node's in-process limiter (standalone mode and the {@code local} fallback). */
  GcraLocalRateLimiter local() {
    return node.local();
  }

  void count(String name) {
    counters.increment(name);
  }

  /**
   * Decides in Redis. Fails with {@link RateLimiterUnavailable} at once while Redis is marked down (one probe
   * call every {@link RedisHealth#PROBE_INTERVAL_NANOS} excepted), or when the call fails or runs over budget.
   */
  Future<Decision> acquire(RedisConfig config, List<RateLimit> limits) {
    GcraRedisRateLimiter limiter = redisFor(config);
    if (!health.admit(System.nanoTime())) {
      return Future.failedFuture(RateLimiterUnavailable.markedDown());
    }
    return limiter.acquire(limits); // health and latency are recorded per round trip (observe, below)
  }

  /** Records one round trip's outcome: latency, health (three failed round trips in a row mark Redis down). */
  private GcraRedisRateLimiter.RoundTrips roundTrips(GcraRedisRateLimiter limiter, RedisHealth h) {
    return new GcraRedisRateLimiter.RoundTrips() {
      @Override
      public void answered(long nanos) {
        redisDecisions.record(nanos, TimeUnit.NANOSECONDS);
        if (h.succeeded()) {
          node.changed(h, true);
        }
      }

      @Override
      public void failed(RateLimiterUnavailable why, long nanos) {
        redisDecisions.record(nanos, TimeUnit.NANOSECONDS);
        counters.increment("ratelimit.redis.unavailable");
        if (h.failed(System.nanoTime(), why.getMessage())) {
          counters.increment("ratelimit.redis.down");
          limiter.recycle();
          node.changed(h, false);
        }
      }
    };
  }

  /**
   * Applies a snapshot's store settings ahead of traffic: connects to Redis (and caches the script) before the
   * first request needs it, so the first decisions are not spent connecting; closes the connection when Redis is
   * no longer configured. Call on the instance's event loop.
   */
  public void configure(RedisConfig config) {
    if (config == null) {
      close();
    } else {
      redisFor(config);
    }
  }

  private GcraRedisRateLimiter redisFor(RedisConfig config) {
    // Per request: the snapshot hands the same instance every time, so the identity check is the usual answer.
    if (config == redisConfig) {
      return redis;
    }
    if (!config.equals(redisConfig)) {
      close();
      RedisOptions options = new RedisOptions().setConnectionString(config.url()).setMaxWaitingHandlers(4096);
      redis = new GcraRedisRateLimiter(context, options,
          new GcraRedisRateLimiter.Settings(config.budget(), config.keyPrefix()));
      health = new RedisHealth(config.endpoint());
      redis.observe(roundTrips(redis, health));
      node.register(health);
    }
    redisConfig = config; // an equal config from a newer snapshot keeps the connection, and the fast path
    return redis;
  }

  /** Closes the Redis connection, if any. Call on the instance's event loop (ingress stop). */
  public void close() {
    if (redis != null) {
      redis.close();
      node.unregister(health);
      redis = null;
      redisConfig = null;
      health = null;
    }
  }
}
