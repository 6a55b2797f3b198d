package io.tollgate.routing;

import io.tollgate.config.GatewayConfig;
import io.tollgate.config.RouteConfig;
import io.tollgate.config.ServiceConfig;
import io.tollgate.config.TargetConfig;
import io.tollgate.config.TimeoutsConfig;
import io.tollgate.pipeline.Policy;
import io.tollgate.pipeline.PolicyChain;
import io.tollgate.pipeline.RequestContext;
import io.tollgate.upstream.RetryPolicy;
import io.tollgate.upstream.ServiceTargets;
import io.tollgate.upstream.Target;
import io.tollgate.upstream.UpstreamHealth;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A route compiled for the data plane: everything the proxy needs per request, precomputed once per config
 * snapshot. Immutable once its snapshot is published (its traffic split and fallback are wired while compiling;
 * target choice is {@link ServiceTargets}'), shared by all event loops.
 */
public final class CompiledRoute {

  /** Request headers the proxy sets itself and therefore never copies from the client. */
  private static final Set<String> GATEWAY_OWNED_REQUEST_HEADERS = Set.of(
      "host", "expect", "x-request-id",
      "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "forwarded");

  private final RouteConfig config;
  private final ServiceConfig service;
  private final ServiceTargets targets;
  private final UpstreamPath upstreamPath;
  private final QueryRewriter query;
  /** A WebSocket token parameter (issue 8): accepted on upgrades only, never forwarded on any request. */
  private final String tokenParameter;
  private final long connectTimeoutMs;
  private final long responseTimeoutMs;
  private final RetryPolicy retries;
  private final long streamIdleMs;
  private final long maxBodySize;
  private final io.tollgate.proxy.HeaderNames requestHeadersNotCopied;
  private final PolicyChain policies;
  /**
   * Traffic split (see {@link #withSplit}): set once while the snapshot is compiled, before it is published, and
   * never after. Null for a route that sends everything to its service.
   */
  private CompiledRoute[] variants;
  private int[] cumulativeWeights;
  private CompiledRoute canary;
  private String canaryHeader;
  private String canaryValue;
  private CompiledRoute fallbackRoute;

  private CompiledRoute(RouteConfig config, ServiceConfig service, long defaultMaxBody, PolicyChain policies,
      ServiceTargets targets) {
    this.config = config;
    this.service = service;
    this.targets = targets;
    this.upstreamPath = UpstreamPath.compile(config);
    this.query = QueryRewriter.compile(config);
    this.tokenParameter = config.websocket() == null ? null : config.websocket().tokenQueryParameter();
    TimeoutsConfig timeouts = config.timeouts() == null ? service.timeouts() : config.timeouts().orElse(service.timeouts());
    this.connectTimeoutMs = timeouts.connect().toMillis();
    this.responseTimeoutMs = timeouts.response().toMillis();
    this.retries = RetryPolicy.compile(config.retry() != null ? config.retry() : service.retry(),
        config.retryNonIdempotent(), timeouts.totalOrResponse(), targets, config.id());
    this.streamIdleMs = timeouts.streamIdle() == null ? TimeoutsConfig.DEFAULT_STREAM_IDLE.toMillis()
        : timeouts.streamIdle().toMillis();
    this.maxBodySize = config.maxBodySize() != null ? config.maxBodySize() : defaultMaxBody;
    Set<String> skip = new HashSet<>(GATEWAY_OWNED_REQUEST_HEADERS);
    config.rewrite().removeHeaders().forEach(h -> skip.add(h.toLowerCase(Locale.ROOT)));
    config.rewrite().setHeaders().keySet().forEach(h -> skip.add(h.toLowerCase(Locale.ROOT)));
    if (config.auth() != null) {
      // Headers carrying verified claims are only ever set by the gateway: a client's copy is dropped.
      config.auth().claimHeaders().values().forEach(h -> skip.add(h.toLowerCase(Locale.ROOT)));
    }
    this.requestHeadersNotCopied = io.tollgate.proxy.HopByHopHeaders.notCopied(skip);
    this.policies = policies;
  }

  /** Compiles {@code route} against {@code config}'s services and listener defaults, with target state of its own. */
  public static CompiledRoute compile(RouteConfig route, GatewayConfig config) {
    ServiceConfig service = service(route, config);
    return compile(route, config, List.of(),
        ServiceTargets.compile(service, new UpstreamHealth(new io.tollgate.observability.Counters())));
  }

  /**
   * As {@link #compile(RouteConfig, GatewayConfig)}, with the route's policies in order and its service's targets
   * (shared by the service's routes, state on the node).
   */
  public static CompiledRoute compile(RouteConfig route, GatewayConfig config, List<Policy> policies,
      ServiceTargets targets) {
    return new CompiledRoute(route, service(route, config), config.listener().maxBodySize(),
        policies.isEmpty() ? PolicyChain.EMPTY : new PolicyChain(policies), targets);
  }

  private static ServiceConfig service(RouteConfig route, GatewayConfig config) {
    ServiceConfig service = config.services().get(route.service());
    if (service == null) {
      throw new IllegalArgumentException("route '" + route.id() + "' references unknown service " + route.service());
    }
    return service;
  }

  /**
   * Makes this route split its traffic: {@code variants[i]} (this route's config with another service) gets
   * {@code weights[i]} of the requests, and a request whose {@code header} is {@code value} (any value when null)
   * goes to {@code canary}. Call once, while compiling the snapshot.
   */
  public CompiledRoute withSplit(CompiledRoute[] variants, int[] weights, CompiledRoute canary, String header,
      String value) {
    if (variants.length > 0) {
      this.variants = variants.clone();
      this.cumulativeWeights = new int[weights.length];
      int sum = 0;
      for (int i = 0; i < weights.length; i++) {
        sum += weights[i];
        cumulativeWeights[i] = sum;
      }
    }
    this.canary = canary;
    this.canaryHeader = header;
    this.canaryValue = value;
    return this;
  }

  /** Sets the route that takes over when every circuit is open (an alternate service). Call once, while compiling. */
  public CompiledRoute withFallback(CompiledRoute alternate) {
    this.fallbackRoute = alternate;
    return this;
  }

  /** The alternate-service route for when every circuit is open; null when the route has none. */
  public CompiledRoute fallbackRoute() {
    return fallbackRoute;
  }

  /**
   * The route that serves {@code request}: the canary when its header says so, else one of the weighted services at
   * random in proportion to the weights, else this route. Thread-safe; allocates nothing.
   */
  public CompiledRoute variantFor(io.vertx.core.http.HttpServerRequest request) {
    if (canary != null) {
      String v = request.getHeader(canaryHeader);
      if (v != null && (canaryValue == null || canaryValue.equals(v))) {
        return canary;
      }
    }
    if (variants == null) {
      return this;
    }
    int r = java.util.concurrent.ThreadLocalRandom.current().nextInt(cumulativeWeights[cumulativeWeights.length - 1]);
    for (int i = 0; i < variants.length; i++) {
      if (r < cumulativeWeights[i]) {
        return variants[i];
      }
    }
    return this; // unreachable: r < the last cumulative weight
  }

  public String id() {
    return config.id();
  }

  public RouteConfig config() {
    return config;
  }

  public ServiceConfig service() {
    return service;
  }

  /**
   * The target for the next request, by the service's load balancer, ejected targets and open circuits skipped, its
   * circuit breaker's permission taken; null when every target's circuit is open.
   */
  public Target pickTarget() {
    return targets.acquire(0);
  }

  /**
   * As {@link #pickTarget()} for a request whose hash key is {@code hash} (see {@link io.tollgate.proxy.HashKeys};
   * {@link ServiceTargets#NO_HASH}: none): under {@code consistent-hash}, the key's target.
   */
  public Target pickTarget(long hash) {
    return targets.acquire(0, hash);
  }

  /** Whether the route's service has any target (a DNS-discovered one has none before its first good answer). */
  public boolean hasTargets() {
    return targets.hasTargets();
  }

  /** Milliseconds until the first open circuit of the route's service admits trial calls; 0 when none is open. */
  public long openCircuitMillis() {
    return targets.openCircuitMillis();
  }

  /** Path and query for the upstream request line. */
  public String upstreamUri(TargetConfig target, RequestContext ctx) {
    String path = upstreamPath.build(target.basePath(), ctx.normalizedPath(), ctx.params());
    String q = query.rewrite(ctx.request().query(), ctx.params());
    String uri = q == null || q.isEmpty() ? path : path + '?' + q;
    return tokenParameter == null ? uri : QueryText.withoutParameter(uri, tokenParameter);
  }

  /** The route's retry rules (its own, or its service's); hands out per-request attempts. */
  public RetryPolicy retries() {
    return retries;
  }

  public long connectTimeoutMs() {
    return connectTimeoutMs;
  }

  public long responseTimeoutMs() {
    return responseTimeoutMs;
  }

  /** Longest silence between chunks of an event-stream response, in milliseconds. */
  public long streamIdleMs() {
    return streamIdleMs;
  }

  /** Request-body cap in bytes. */
  public long maxBodySize() {
    return maxBodySize;
  }

  public boolean preserveHost() {
    return config.preserveHost();
  }

  /** Names (case-insensitive set) of client request headers not forwarded (gateway-owned, removed or replaced by config). */
  public io.tollgate.proxy.HeaderNames requestHeadersNotCopied() {
    return requestHeadersNotCopied;
  }

  /** Headers the route forces on the upstream request. */
  public Map<String, String> setHeaders() {
    return config.rewrite().setHeaders();
  }

  public PolicyChain policies() {
    return policies;
  }
}
