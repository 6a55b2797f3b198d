/**
 * Real Redis servers for tests: {@link io.tollgate.testkit.redis.TestRedis} resolves one (a URL you give,
 * Testcontainers, {@code redis-server} from the PATH, or the binary shipped in Maven) and hands out a key
 * prefix per test class; private servers can be paused, stopped and restarted for outage tests.
 */
package io.tollgate.testkit.redis;
