package io.tollgate.testkit.redis;

import io.vertx.redis.client.RedisOptions;

/**
 * The keys of one test class: every key it uses starts with {@link #prefix()} ({@code t-<name>-<random>:}),
 * so classes sharing a server never see each other's keys and {@link #flush()} removes exactly its own.
 */
public record TestKeyspace(TestRedis redis, String prefix) {

  /** {@code prefix + name}. */
  public String key(String name) {
    return prefix + name;
  }

  /** Options for vertx-redis-client pointing at the server; a fresh, mutable object on each call. */
  public RedisOptions options() {
    return redis.options();
  }

  /** Deletes every key under {@link #prefix()}; returns how many. */
  public long flush() {
    return redis.flushPrefix(prefix);
  }
}
