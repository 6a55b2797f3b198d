package io.tollgate.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rate limiting shared by all routes ({@code rateLimiting:} in YAML): where limit state lives and the named limit
 * policies that routes refer to.
 *
 * @param redis         the shared store; {@code null} = standalone (an in-process limiter per node)
 * @param expectedNodes gateway nodes expected to share Redis; a {@code local} fallback gives each node
 *                      {@code 1/expectedNodes} of a limit; default {@code 1}
 * @param headers       send {@code RateLimit-Policy} / {@code RateLimit} on allowed responses too (429s always
 *                      carry them); default {@code true}
 * @param tenantClaim   the JWT claim a {@code tenant} key reads; default {@code tenant}
 * @param policies      named limit sets; routes that name the same policy share its counters (a route group),
 *                      unless a limit's key includes {@code route}
 */
public record RateLimitingConfig(
    RedisConfig redis,
    int expectedNodes,
    boolean headers,
    String tenantClaim,
    Map<String, List<LimitConfig>> policies) {

  public static final RateLimitingConfig NONE = new RateLimitingConfig(null, 1, true, "tenant", Map.of());

  public RateLimitingConfig {
    policies = Collections.unmodifiableMap(new LinkedHashMap<>(policies));
  }

  /**
   * The Redis store ({@code rateLimiting.redis:}).
   *
   * @param url       {@code redis://[[user]:password@]host[:port][/db]} or {@code rediss://…} (TLS); the password is
   *                  never logged nor shown on status pages
   * @param budget    how long one decision may take before Redis counts as unavailable; default {@code 10ms}
   * @param keyPrefix prefix of every key Tollgate writes; default {@code tollgate:rl:}; no braces
   */
  public record RedisConfig(String url, Duration budget, String keyPrefix) {

    /** {@code host:port} of {@link #url()}, without credentials: safe to log and show. */
    public String endpoint() {
      java.net.URI uri = java.net.URI.create(url);
      return uri.getHost() + ":" + (uri.getPort() < 0 ? 6379 : uri.getPort());
    }

    /** Without {@link #url()}: it may carry a password. */
    @Override
    public String toString() {
      String endpoint;
      try {
        endpoint = endpoint();
      } catch (IllegalArgumentException e) {
        endpoint = "?";
      }
      return "RedisConfig[endpoint=" + endpoint + ", budget=" + budget + ", keyPrefix=" + keyPrefix + "]";
    }
  }
}
