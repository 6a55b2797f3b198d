package io.tollgate.routing;

import io.tollgate.config.GatewayConfig;
import io.tollgate.config.RouteConfig;
import io.tollgate.config.ServiceConfig;
import io.tollgate.config.TargetConfig;
import io.tollgate.config.TimeoutsConfig;
import io.tollgate.pipeline.Policy;
import io.tollgate.pipeline.PolicyChain;
import io.tollgate.pipeline.RequestContext;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A route compiled for the data plane: everything the proxy needs per request, precomputed once per config
 * snapshot. Immutable apart from the round-robin cursor (atomic), shared by all event loops.
 */
public final class CompiledRoute {

  /** Request headers the proxy sets itself and therefore never copies from the client. */
  private static final Set<String> GATEWAY_OWNED_REQUEST_HEADERS = Set.of(
      "host", "expect", "x-request-id",
      "x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "forwarded");

  private final RouteConfig config;
  private final ServiceConfig service;
  private final TargetConfig[] targets;
  private final java.util.Map<TargetConfig, String> authorities = new java.util.IdentityHashMap<>();
  private final AtomicInteger cursor = new AtomicInteger();
  private final UpstreamPath upstreamPath;
  private final QueryRewriter query;
  private final long connectTimeoutMs;
  private final long responseTimeoutMs;
  private final long maxBodySize;
  private final Set<String> requestHeadersNotCopied;
  private final PolicyChain policies;

  private CompiledRoute(RouteConfig config, ServiceConfig service, long defaultMaxBody, PolicyChain policies) {
    this.config = config;
    this.service = service;
    this.targets = service.targets().toArray(TargetConfig[]::new);
    for (TargetConfig t : targets) {
      authorities.put(t, t.host().indexOf(':') >= 0 ? "[" + t.host() + "]:" + t.port() : t.host() + ":" + t.port());
    }
    this.upstreamPath = UpstreamPath.compile(config);
    this.query = QueryRewriter.compile(config);
    TimeoutsConfig timeouts = config.timeouts() == null ? service.timeouts() : config.timeouts().orElse(service.timeouts());
    this.connectTimeoutMs = timeouts.connect().toMillis();
    this.responseTimeoutMs = timeouts.response().toMillis();
    this.maxBodySize = config.maxBodySize() != null ? config.maxBodySize() : defaultMaxBody;
    Set<String> skip = new HashSet<>(GATEWAY_OWNED_REQUEST_HEADERS);
    config.rewrite().removeHeaders().forEach(h -> skip.add(h.toLowerCase(Locale.ROOT)));
    config.rewrite().setHeaders().keySet().forEach(h -> skip.add(h.toLowerCase(Locale.ROOT)));
    if (config.auth() != null) {
      // Headers carrying verified claims are only ever set by the gateway: a client's copy is dropped.
      config.auth().claimHeaders().values().forEach(h -> skip.add(h.toLowerCase(Locale.ROOT)));
    }
    this.requestHeadersNotCopied = io.tollgate.proxy.HopByHopHeaders.caseInsensitive(skip);
    this.policies = policies;
  }

  /** Compiles {@code route} against {@code config}'s services and listener defaults. */
  public static CompiledRoute compile(RouteConfig route, GatewayConfig config) {
    return compile(route, config, List.of());
  }

  /** As {@link #compile(RouteConfig, GatewayConfig)}, with the route's policies in order. */
  public static CompiledRoute compile(RouteConfig route, GatewayConfig config, List<Policy> policies) {
    ServiceConfig service = config.services().get(route.service());
    if (service == null) {
      throw new IllegalArgumentException("route '" + route.id() + "' references unknown service " + route.service());
    }
    return new CompiledRoute(route, service, config.listener().maxBodySize(),
        policies.isEmpty() ? PolicyChain.EMPTY : new PolicyChain(policies));
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

  /** Next target, round robin. Health-aware balancing replaces this with the resilience work. */
  public TargetConfig pickTarget() {
    if (targets.length == 1) {
      return targets[0];
    }
    return targets[Math.floorMod(cursor.getAndIncrement(), targets.length)];
  }

  /** {@code host:port} of a target of this route (IPv6 in brackets), precomputed for logs. */
  public String authorityOf(TargetConfig target) {
    String a = authorities.get(target);
    return a != null ? a : target.host() + ":" + target.port();
  }

  /** Path and query for the upstream request line. */
  public String upstreamUri(TargetConfig target, RequestContext ctx) {
    String path = upstreamPath.build(target.basePath(), ctx.normalizedPath(), ctx.params());
    String q = query.rewrite(ctx.request().query(), ctx.params());
    return q == null || q.isEmpty() ? path : path + '?' + q;
  }

  public long connectTimeoutMs() {
    return connectTimeoutMs;
  }

  public long responseTimeoutMs() {
    return responseTimeoutMs;
  }

  /** Request-body cap in bytes. */
  public long maxBodySize() {
    return maxBodySize;
  }

  public boolean preserveHost() {
    return config.preserveHost();
  }

  /** Names (case-insensitive set) of client request headers not forwarded (gateway-owned, removed or replaced by config). */
  public Set<String> requestHeadersNotCopied() {
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
