package io.tollgate.config;

import java.util.List;
import java.util.Set;

/**
 * A route ({@code routes[i]} in YAML): which requests it takes and where they go.
 *
 * @param id           unique, kebab/snake/alnum; appears in logs and metrics
 * @param path         path pattern: literal segments, {@code {name}} / {@code {name:int}} / {@code {name:uuid}}
 *                     parameters (one segment each) and an optional trailing {@code /**} (any remainder, also
 *                     empty). A trailing {@code /} is significant.
 * @param methods      allowed methods (upper case); empty = any method
 * @param hosts        allowed {@code Host} values without port (lower case; {@code *.example.com} wildcards);
 *                     empty = any host
 * @param service      name of the upstream service
 * @param rewrite      how the upstream path and query are derived; never null
 * @param timeouts     overrides of the service's timeouts; fields may be null
 * @param maxBodySize  request-body cap in bytes; null = the listener's {@code maxBodySize}
 * @param preserveHost forward the client's {@code Host} instead of the target's; default {@code false}
 * @param auth         who may call; see {@link RouteAuthConfig} for the secure default
 * @param rateLimit    the route's rate limits; null = none
 * @param concurrency  the route's concurrency cap; null = none
 * @param ownership    the route's ownership rule; null = none
 * @param retry        the route's retries; null = the service's
 * @param retryNonIdempotent also retry methods that are not idempotent (POST, PATCH); default {@code false}
 * @param fallback     the answer when every target's circuit is open; null = 503 {@code circuit-open}
 * @param split        weighted services and a canary header; null = all traffic to {@code service}
 * @param websocket    WebSocket proxying for upgrade requests; null = upgrades are not proxied as WebSockets
 */
public record RouteConfig(
    String id,
    String path,
    Set<String> methods,
    List<String> hosts,
    String service,
    RewriteConfig rewrite,
    TimeoutsConfig timeouts,
    Long maxBodySize,
    boolean preserveHost,
    RouteAuthConfig auth,
    RouteLimitsConfig rateLimit,
    RouteLimitsConfig.Concurrency concurrency,
    RouteOwnershipConfig ownership,
    RetryConfig retry,
    boolean retryNonIdempotent,
    FallbackConfig fallback,
    SplitConfig split,
    WebSocketConfig websocket) {

  public RouteConfig {
    methods = Set.copyOf(methods);
    hosts = List.copyOf(hosts);
  }

  /** This route as the alternate of a route whose circuits are all open: to {@code other}, with no further fallback. */
  public RouteConfig asFallbackTo(String other) {
    return new RouteConfig(id, path, methods, hosts, other, rewrite, timeouts, maxBodySize, preserveHost, auth,
        rateLimit, concurrency, ownership, retry, retryNonIdempotent, null, null, websocket);
  }

  /** Every service the route can send to: its service, the weighted ones, the canary's and the fallback's. */
  public Set<String> allServices() {
    if (split == null && (fallback == null || fallback.service() == null)) {
      return Set.of(service);
    }
    Set<String> all = new java.util.LinkedHashSet<>();
    all.add(service);
    if (split != null) {
      split.services().forEach(w -> all.add(w.name()));
      if (split.canary() != null) {
        all.add(split.canary().service());
      }
    }
    if (fallback != null && fallback.service() != null) {
      all.add(fallback.service());
    }
    return all;
  }

  /** This route sending all its traffic to {@code other} (a variant of a split route). */
  public RouteConfig withService(String other) {
    return new RouteConfig(id, path, methods, hosts, other, rewrite, timeouts, maxBodySize, preserveHost, auth,
        rateLimit, concurrency, ownership, retry, retryNonIdempotent, fallback, null, websocket);
  }

  /** The same route with the service's retries. */
  public RouteConfig(String id, String path, Set<String> methods, List<String> hosts, String service,
      RewriteConfig rewrite, TimeoutsConfig timeouts, Long maxBodySize, boolean preserveHost, RouteAuthConfig auth,
      RouteLimitsConfig rateLimit, RouteLimitsConfig.Concurrency concurrency, RouteOwnershipConfig ownership) {
    this(id, path, methods, hosts, service, rewrite, timeouts, maxBodySize, preserveHost, auth, rateLimit,
        concurrency, ownership, null, false, null, null, null);
  }

  /** The same route without rate limits and concurrency cap. */
  public RouteConfig(String id, String path, Set<String> methods, List<String> hosts, String service,
      RewriteConfig rewrite, TimeoutsConfig timeouts, Long maxBodySize, boolean preserveHost, RouteAuthConfig auth) {
    this(id, path, methods, hosts, service, rewrite, timeouts, maxBodySize, preserveHost, auth, null, null, null,
        null, false, null, null, null);
  }

  /** Whether upgrade requests on this route are proxied as WebSockets. */
  public boolean isWebSocket() {
    return websocket != null;
  }
}
