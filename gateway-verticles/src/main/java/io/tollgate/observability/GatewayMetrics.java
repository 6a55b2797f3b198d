package io.tollgate.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tollgate.pipeline.AttributeKey;
import io.tollgate.pipeline.RequestContext;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One gateway's Prometheus registry and the meters the data plane records into. One instance per gateway (per
 * Vert.x instance; never static), so several gateways in one JVM keep separate numbers. Thread-safe: every event
 * loop records into the same meters (Micrometer's counters and timers are lock-free adders).
 *
 * <p>Per request, {@link #routeMatched} (in-flight +1) and {@link #finished} (exactly once, from the ingress's
 * request-finish point) are the only calls; they touch a cached {@link RouteMeters}, a pre-created rejection
 * counter, and a cached upstream timer — no string is composed and nothing blocks. Labels are bounded: route id
 * (never a path; {@code none} when nothing matched, {@code gateway} for the gateway's own endpoints), method from a
 * fixed set, status class, rejection group ({@link RejectionReason}), service name.
 *
 * <p>Vert.x's own metrics ({@code vertx_*}: HTTP server and client, pools, event bus) and the JVM binders land
 * in the same registry through {@link #vertxMetricsOptions()} and {@link #vertxMetricsFactory()}. Node state
 * (rate limiter, replica, config version, bulkheads, counters) is exposed by {@link NodeMeters}, refreshed on
 * every {@link #scrape()}.
 */
public final class GatewayMetrics {

  /** Route label for requests that matched no route. */
  public static final String NO_ROUTE = "none";
  /** Route label for the gateway's own endpoints ({@code /healthz}, {@code /readyz}, status pages). */
  public static final String GATEWAY_ROUTE = "gateway";

  private static final AttributeKey<RouteMeters> METERS = AttributeKey.named("route-meters");
  private static final Set<String> KNOWN_METHODS = Set.of(RouteMeters.METHODS);
  /**
   * Vert.x labels its HTTP meters ({@code vertx_http_*}) with the raw request method: a client could mint a series
   * per made-up method. Methods outside the known set become {@code OTHER}, as in Tollgate's own meters.
   */
  private static final MeterFilter BOUNDED_VERTX_METHODS = new MeterFilter() {
    @Override
    public Meter.Id map(Meter.Id id) {
      String method = id.getTag("method");
      if (method == null || !id.getName().startsWith("vertx") || KNOWN_METHODS.contains(method)) {
        return id;
      }
      return id.withTag(Tag.of("method", "OTHER"));
    }
  };

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final String registryName = "tollgate-" + UUID.randomUUID();
  private final ConcurrentMap<String, RouteMeters> routes = new ConcurrentHashMap<>();
  private final HistogramFamily durations = RouteMeters.durations();
  private final HistogramFamily upstreams = new HistogramFamily("tollgate_upstream_response_seconds",
      "Time from request start until the upstream's response headers arrived, by service", "service",
      RouteMeters.SLO_BUCKETS);
  private final HistogramFamily connects = new HistogramFamily("tollgate_upstream_connect_seconds",
      "Time an upstream request waited for a connection (pool wait plus connect when new), by service", "service",
      Duration.ofNanos(100_000), Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(25),
      Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2));
  private final RouteMeters unmatched;
  private final RouteMeters endpoints;
  private final Counter[] rejections = new Counter[RejectionReason.values().length];
  private final Timer redisDecisions;
  private final Timer eventLoopDelay;
  private final boolean enabled;
  private volatile NodeMeters node;

  /** Metrics on ({@code management.metrics: true}, the default). */
  public GatewayMetrics() {
    this(true);
  }

  /**
   * @param enabled false ({@code management.metrics: false}): nothing is recorded per request, Vert.x gets no
   *                metrics SPI ({@link #enabled()} tells the bootstrap), and {@link #scrape()} is not served
   */
  public GatewayMetrics(boolean enabled) {
    this.enabled = enabled;
    registry.config().meterFilter(BOUNDED_VERTX_METHODS);
    unmatched = new RouteMeters(registry, durations, NO_ROUTE, false);
    endpoints = new RouteMeters(registry, durations, GATEWAY_ROUTE, false);
    for (RejectionReason reason : RejectionReason.values()) {
      rejections[reason.ordinal()] = Counter.builder("tollgate.rejections")
          .description("Requests the gateway refused, by reason group")
          .tag("reason", reason.label())
          .register(registry);
    }
    eventLoopDelay = Timer.builder("tollgate.event_loop.delay")
        .description("How late a 100 ms timer fired on each ingress event loop: time the loop was busy or blocked")
        .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(1))
        .register(registry);
    redisDecisions = Timer.builder("tollgate.ratelimit.redis")
        .description("Time of rate-limit decisions in Redis (one Lua call), failures and timeouts included")
        .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500))
        .register(registry);
  }

  /** Whether meters are recorded and served ({@code management.metrics}). */
  public boolean enabled() {
    return enabled;
  }

  /** The registry (for binders and tests). */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * Vert.x metrics options for this gateway's Vert.x instance: enabled, JVM binders on, and a registry name of
   * its own (vertx-micrometer-metrics keeps registries in a JVM-wide map by name).
   */
  public MicrometerMetricsOptions vertxMetricsOptions() {
    // Vert.x's per-request HTTP meters cost too much for what they add: server meters duplicate tollgate_requests_*;
    // with client meters on, the whole set cost 10-15 % of proxy throughput on a 2-core loopback benchmark, without
    // them ~5 % (docs/benchmarks.md). The upstream pool gauges (vertx_pool_*{pool_type="http"}) go with the client
    // meters; a cheaper source for pool usage is left to the observability issue.
    return new MicrometerMetricsOptions().setEnabled(true).setJvmMetricsEnabled(true).setRegistryName(registryName)
        .addDisabledMetricsCategory(MetricsDomain.HTTP_SERVER).addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT);
  }

  /** The factory that makes Vert.x record into {@link #registry()}. */
  public VertxMetricsFactory vertxMetricsFactory() {
    return new MicrometerMetricsFactory(registry);
  }

  /** Exposes node state ({@link NodeMeters}); call once when the gateway's state exists. */
  public void bind(NodeMeters nodeMeters) {
    this.node = nodeMeters;
    nodeMeters.refresh(registry);
  }

  /**
   * The Prometheus text exposition (format 0.0.4) of every meter, node state refreshed first and the request
   * meters of routes and services that left the config removed ({@link #retain}).
   */
  public String scrape() {
    NodeMeters n = node;
    if (n != null) {
      n.refresh(registry);
      n.inForce(this::retain);
    }
    StringBuilder out = new StringBuilder(registry.scrape());
    durations.render(out);
    upstreams.render(out);
    connects.render(out);
    return out.toString();
  }

  /**
   * Drops the per-route request meters of routes not in {@code routeIds} and the per-service upstream histograms of
   * services not in {@code services}, so a config that churns routes (control plane) does not grow the registry
   * or serve series of routes long gone. A request of a removed route still in flight records into its detached
   * meters; one matched by an old snapshot after this call re-registers them until the next scrape.
   */
  synchronized void retain(Set<String> routeIds, Set<String> services) {
    routes.values().removeIf(meters -> {
      boolean gone = !routeIds.contains(meters.route());
      if (gone) {
        meters.remove();
      }
      return gone;
    });
    Set<String> labels = new java.util.HashSet<>(routeIds);
    labels.add(NO_ROUTE);
    labels.add(GATEWAY_ROUTE);
    durations.retain(labels);
    upstreams.retain(services);
    connects.retain(services);
  }

  /** The timer {@code RateLimitRuntime} records each Redis decision into. */
  /** Lateness of the ingress event loops' probe timers ({@code tollgate_event_loop_delay_seconds}). */
  public Timer eventLoopDelay() {
    return eventLoopDelay;
  }

  public Timer redisDecisions() {
    return redisDecisions;
  }

  /** A route matched: counts the request in flight until {@link #finished}. Event loop of the request. */
  public void routeMatched(RequestContext ctx) {
    if (!enabled) {
      return;
    }
    String id = ctx.route().id();
    RouteMeters meters = routes.get(id);
    if (meters == null) {
      meters = routes.computeIfAbsent(id, r -> new RouteMeters(registry, durations, r, true));
    }
    meters.started();
    ctx.put(METERS, meters);
  }

  /** The request is for one of the gateway's own endpoints (labelled {@code route="gateway"}). */
  public void gatewayEndpoint(RequestContext ctx) {
    if (!enabled) {
      return;
    }
    ctx.put(METERS, endpoints);
  }

  /**
   * Records a finished request: count, duration, in-flight −1 (if {@link #routeMatched} counted it), its
   * rejection group, and the upstream's time to response headers. Call exactly once per request.
   */
  public void finished(RequestContext ctx) {
    if (!enabled) {
      return;
    }
    long durationNanos = System.nanoTime() - ctx.startNanos();
    RouteMeters meters = ctx.get(METERS);
    if (meters == null) {
      meters = unmatched;
    }
    HttpServerResponse response = ctx.response();
    int status = response.headWritten() ? response.getStatusCode() : 0;
    meters.finished(ctx.request().method(), status, durationNanos, meters.tracksInFlight());
    if (meters != endpoints) {
      // A 503 from /readyz while draining is an answer, not a refused request.
      RejectionReason reason = RejectionReason.of(ctx.rejection());
      if (reason != null) {
        rejections[reason.ordinal()].increment();
      }
    }
    long upstreamNanos = ctx.upstreamHeadersNanos();
    if (upstreamNanos >= 0 && ctx.route() != null) {
      upstreams.child(ctx.route().config().service()).record(upstreamNanos);
    }
    long connectNanos = ctx.upstreamConnectNanos();
    if (connectNanos >= 0 && ctx.route() != null) {
      connects.child(ctx.route().config().service()).record(connectNanos);
    }
  }
}
