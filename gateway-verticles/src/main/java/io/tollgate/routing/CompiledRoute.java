package io.tollgate.routing;

import io.tollgate.config.GatewayConfig;
import io.tollgate.config.RouteConfig;
import io.tollgate.config.ServiceConfig;
import io.tollgate.config.TargetConfig;
import io.tollgate.config.TimeoutsConfig;
import io.tollgate.pipeline.Policy;
import io.tollgate.pipeline.PolicyChain;
import io.tollgate.pipeline.RequestContext;
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
 * snapshot. Immutable (target choice is {@link ServiceTargets}'), shared by all event loops.
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
  private final long streamIdleMs;
  private final long maxBodySize;
  private final Set<String> requestHeadersNotCopied;
  private final PolicyChain policies;

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
    this.requestHeadersNotCopied = io.tollgate.proxy.HopByHopHeaders.caseInsensitive(skip);
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

  public String id() {
    return config.id();
  }

  public RouteConfig config() {
    return config;
  }

  public ServiceConfig service() {
    return service;
  }

  /** The target for the next request, by the service's load balancer, ejected targets skipped. */
  public Target pickTarget() {
    return targets.pick();
  }

  /** Path and query for the upstream request line. */
  public String upstreamUri(TargetConfig target, RequestContext ctx) {
    String path = upstreamPath.build(target.basePath(), ctx.normalizedPath(), ctx.params());
    String q = query.rewrite(ctx.request().query(), ctx.params());
    String uri = q == null || q.isEmpty() ? path : path + '?' + q;
    return tokenParameter == null ? uri : QueryText.withoutParameter(uri, tokenParameter);
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
