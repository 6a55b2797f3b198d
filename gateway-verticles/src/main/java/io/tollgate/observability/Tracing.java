package io.tollgate.observability;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.tollgate.config.TracingConfig;
import io.tollgate.pipeline.RequestContext;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry tracing for one gateway: a SERVER span per sampled request (continuing a client's W3C
 * {@code traceparent}) and a CLIENT span per upstream attempt, whose context goes upstream as {@code traceparent};
 * the route template names the server span, rejections are span events.
 *
 * <p><b>Head sampling first</b> (ADR 0011). {@link #start} decides before any span exists: a request with a valid
 * {@code traceparent} follows its sampled flag, any other is sampled with probability {@code sampleRatio}. Only a
 * sampled request gets spans; an unsampled one costs a header read and a random number. Its trace context still
 * flows: a client's unsampled {@code traceparent}/{@code tracestate} go upstream untouched, and a request without
 * one gets a fresh unsampled {@code traceparent}, so the upstream follows the gateway's decision (as with an
 * OpenTelemetry SDK's parent-based sampler) instead of sampling its half of the trace on its own.
 *
 * <p>Export never touches the event loop: finished spans go into a bounded queue ({@code tracing.maxQueueSize}
 * spans) that a background thread drains in batches; when the collector is slow or down the queue fills and new
 * spans are dropped, so requests are neither slowed nor failed; {@code tollgate_tracing_spans_dropped_total} counts
 * them.
 *
 * <p>{@link #start} and the static helpers run on the request's event loop; with tracing off ({@link #of} returned
 * null, so {@link #start} never ran) the helpers do nothing.
 */
public final class Tracing {

  static final CharSequence TRACEPARENT = HttpHeaders.createOptimized("traceparent");
  static final CharSequence TRACESTATE = HttpHeaders.createOptimized("tracestate");

  /** A sampled request's spans. */
  private static final io.tollgate.pipeline.AttributeKey<RequestSpans> SPANS =
      io.tollgate.pipeline.AttributeKey.named("trace-spans");
  /** An unsampled request that came without a usable {@code traceparent}: the one sent upstream for it. */
  private static final io.tollgate.pipeline.AttributeKey<String> UNSAMPLED_ROOT =
      io.tollgate.pipeline.AttributeKey.named("trace-unsampled-root");
  private static final String ROOT_PENDING = "pending"; // made on the first upstream attempt, never for rejections

  private static final int MAX_BATCH = 512;
  private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(5);
  private static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  private static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
  private static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
  private static final AttributeKey<String> PROTOCOL_VERSION = AttributeKey.stringKey("network.protocol.version");
  private static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
  private static final TextMapGetter<MultiMap> HEADERS = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(MultiMap carrier) {
      return carrier.names();
    }

    @Override
    public String get(MultiMap carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private final SdkTracerProvider provider;
  private final Tracer tracer;
  private final TextMapPropagator propagator = W3CTraceContextPropagator.getInstance();
  private final long sampleBound;
  private final SdkMeterProvider processorMeters;
  private final DroppedSpans dropped;

  private Tracing(SdkTracerProvider provider, double ratio, SdkMeterProvider processorMeters, DroppedSpans dropped) {
    this.provider = provider;
    this.tracer = provider.get("io.tollgate");
    this.sampleBound = ratio >= 1 ? Long.MAX_VALUE : (long) (ratio * Long.MAX_VALUE);
    this.processorMeters = processorMeters;
    this.dropped = dropped;
  }

  /** Tracing for {@code config}, or null when it is disabled. */
  public static Tracing of(TracingConfig config) {
    if (!config.enabled()) {
      return null;
    }
    DroppedSpans dropped = new DroppedSpans();
    // Only the span processor's own counters, read at scrape time; no OTel metrics are exported.
    SdkMeterProvider processorMeters = SdkMeterProvider.builder().registerMetricReader(dropped).build();
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(
            Attributes.of(AttributeKey.stringKey("service.name"), config.serviceName()))))
        // The decision is taken in start(), before a span is built: the SDK records what it is given.
        .setSampler(Sampler.alwaysOn())
        .addSpanProcessor(BatchSpanProcessor.builder(exporter(config))
            .setMaxQueueSize(config.maxQueueSize())
            .setMaxExportBatchSize(MAX_BATCH)
            .setScheduleDelay(config.exportDelay())
            .setExporterTimeout(EXPORT_TIMEOUT)
            .setMeterProvider(processorMeters)
            .build())
        .build();
    return new Tracing(provider, config.sampleRatio(), processorMeters, dropped);
  }

  private static SpanExporter exporter(TracingConfig config) {
    switch (config.exporter()) {
      case LOG:
        return new LogSpanExporter();
      case ZIPKIN:
        return ZipkinSpanExporter.builder().setEndpoint(config.zipkinEndpoint())
            .setReadTimeout(EXPORT_TIMEOUT).build();
      default:
        String base = config.endpoint().endsWith("/")
            ? config.endpoint().substring(0, config.endpoint().length() - 1) : config.endpoint();
        if (config.protocol() == TracingConfig.Protocol.GRPC) {
          return OtlpGrpcSpanExporter.builder().setEndpoint(base).setTimeout(EXPORT_TIMEOUT).build();
        }
        return OtlpHttpSpanExporter.builder().setEndpoint(base + "/v1/traces").setTimeout(EXPORT_TIMEOUT).build();
    }
  }

  /** Registers {@code tollgate_tracing_spans_dropped_total}: spans lost because the export queue was full. */
  public void bind(MeterRegistry registry) {
    FunctionCounter.builder("tollgate.tracing.spans.dropped", dropped, DroppedSpans::count)
        .description("Finished spans dropped because the export queue was full (collector slow or down)")
        .register(registry);
  }

  /** Exports what is queued (bounded by the export timeout), then stops; runs on a worker thread. */
  public Future<Void> shutdown(Vertx vertx) {
    return vertx.executeBlocking(() -> {
      provider.shutdown().join(EXPORT_TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS);
      processorMeters.shutdown();
      return null;
    }, false);
  }

  /**
   * Takes the sampling decision for a new request and, when sampled, starts its SERVER span (a child of the
   * client's span when it sent a sampled {@code traceparent}). Call first thing in the request handler.
   */
  public void start(RequestContext ctx) {
    HttpServerRequest req = ctx.request();
    String parent = req.headers().get(TRACEPARENT);
    int flags = parent == null ? -1 : TraceParent.sampledFlag(parent);
    if (flags == 0) {
      return; // the caller decided not to sample: its headers go upstream as they are
    }
    if (flags < 0 && (ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) >= sampleBound) {
      ctx.put(UNSAMPLED_ROOT, ROOT_PENDING);
      return;
    }
    var builder = tracer.spanBuilder(req.method().name()).setSpanKind(SpanKind.SERVER)
        .setAttribute(RequestSpans.METHOD, req.method().name())
        .setAttribute(URL_PATH, req.path())
        .setAttribute(URL_SCHEME, req.isSSL() ? "https" : "http")
        .setAttribute(PROTOCOL_VERSION, protocolVersion(req));
    if (flags > 0) {
      builder.setParent(propagator.extract(Context.root(), req.headers(), HEADERS));
    } else {
      builder.setNoParent();
    }
    if (req.authority() != null) {
      builder.setAttribute(RequestSpans.SERVER_ADDRESS, req.authority().host());
    }
    if (req.remoteAddress() != null) {
      builder.setAttribute(CLIENT_ADDRESS, req.remoteAddress().hostAddress());
    }
    String userAgent = req.headers().get(HttpHeaders.USER_AGENT);
    if (userAgent != null) {
      builder.setAttribute(USER_AGENT, userAgent);
    }
    ctx.put(SPANS, new RequestSpans(tracer, propagator, builder.startSpan(), req.method().name()));
  }

  private static String protocolVersion(HttpServerRequest req) {
    return switch (req.version()) {
      case HTTP_1_0 -> "1.0";
      case HTTP_1_1 -> "1.1";
      case HTTP_2 -> "2";
    };
  }

  /**
   * Names the server span after the matched route (OTel HTTP semantic conventions: {@code "<METHOD> <route>"},
   * plus {@code http.route}), never after the raw path, so span names stay low-cardinality.
   */
  public static void routeMatched(RequestContext ctx, String method, String template) {
    RequestSpans spans = ctx.get(SPANS);
    if (spans != null) {
      spans.routeMatched(template);
    }
  }

  /** Records that the gateway answered with a problem (auth failed, rate limited, ownership denied…). */
  public static void rejected(RequestContext ctx, String slug) {
    RequestSpans spans = ctx.get(SPANS);
    if (spans != null) {
      spans.rejected(slug);
    }
  }

  /**
   * An upstream attempt (an HTTP request or a WebSocket handshake) is about to be made with {@code headers}: a sampled
   * request starts its CLIENT span and sends its context (replacing the client's trace headers, whose
   * {@code tracestate} is carried over); an unsampled new trace sends its unsampled {@code traceparent}; a client's
   * unsampled trace headers stay as they are.
   */
  public static void attemptStarted(RequestContext ctx, MultiMap headers, boolean ssl, String host, int port,
      String uri) {
    RequestSpans spans = ctx.get(SPANS);
    if (spans != null) {
      spans.attemptStarted(headers, ssl, host, port, uri);
      return;
    }
    String root = ctx.get(UNSAMPLED_ROOT);
    if (root != null) {
      if (root == ROOT_PENDING) {
        root = TraceParent.unsampled();
        ctx.put(UNSAMPLED_ROOT, root);
      }
      headers.set(TRACEPARENT, root);
      headers.remove(TRACESTATE);
    }
  }

  /** The upstream answered the current attempt with {@code status}. */
  public static void attemptAnswered(RequestContext ctx, int status) {
    RequestSpans spans = ctx.get(SPANS);
    if (spans != null) {
      spans.attemptAnswered(status);
    }
  }

  /** The current attempt failed (connect failure, reset before the answer, timeout) or was given up for a retry. */
  public static void attemptFailed(RequestContext ctx, Throwable cause) {
    RequestSpans spans = ctx.get(SPANS);
    if (spans != null) {
      spans.attemptFailed(cause);
    }
  }

  /** The request is over: ends its spans with the status the client got (0 when none was sent). */
  public static void finished(RequestContext ctx, int status) {
    RequestSpans spans = ctx.get(SPANS);
    if (spans != null) {
      spans.finished(status);
    }
  }

  /**
   * The trace id to show in the access log and problem bodies, or null: only for sampled requests, whose trace
   * can be looked up in the tracing backend.
   */
  public static String traceId(RequestContext ctx) {
    RequestSpans spans = ctx.get(SPANS);
    if (spans == null) {
      return null;
    }
    SpanContext context = spans.serverContext();
    return context.isSampled() ? context.getTraceId() : null;
  }
}
