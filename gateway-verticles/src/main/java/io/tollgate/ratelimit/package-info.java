/**
 * Rate limits (issue 6): the {@link io.tollgate.ratelimit.RateLimiter} role, GCRA evaluated atomically in Redis
 * ({@link io.tollgate.ratelimit.GcraRedisRateLimiter}) and in process
 * ({@link io.tollgate.ratelimit.GcraLocalRateLimiter}) with the same semantics. Config binding, the pipeline
 * policy and failure modes live with their callers.
 */
package io.tollgate.ratelimit;
