package io.tollgate.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
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
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.tracing.opentelemetry.OpenTelemetryOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * OpenTelemetry tracing for one gateway. Vert.x's tracer makes the spans: a SERVER span per inbound request
 * (continuing a client's W3C {@code traceparent}) and a CLIENT span per upstream request, whose context it injects
 * into the upstream's {@code traceparent}. Tollgate adds the route template, the span name and rejection events.
 *
 * <p>Export never touches the event loop: finished spans go into a bounded queue ({@code tracing.maxQueueSize} spans) that
 * a background thread drains in batches; when the collector is slow or down the queue fills and new spans are
 * dropped, so requests are neither slowed nor failed; {@code tollgate_tracing_spans_dropped_total} counts them.
 *
 * <p>The static helpers run on the request's event loop. {@link #capture} finds the server span through
 * {@code Span.current()}: vertx-opentelemetry registers itself as OTel's context storage and keeps the active
 * context on the request's (duplicated) Vert.x context. With tracing off the helpers do nothing.
 */
public final class Tracing {

  /** The request's server span, captured when the request arrived (it is no longer current when it ends). */
  public static final io.tollgate.pipeline.AttributeKey<Span> SPAN = io.tollgate.pipeline.AttributeKey.named("span");

  private static final int MAX_BATCH = 512;
  private static final Duration EXPORT_TIMEOUT = Duration.ofSeconds(5);
  private static final CharSequence TRACEPARENT = HttpHeaders.createOptimized("traceparent");
  private static final CharSequence TRACESTATE = HttpHeaders.createOptimized("tracestate");
  private static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  private static final AttributeKey<String> PROBLEM = AttributeKey.stringKey("tollgate.problem");

  private final OpenTelemetrySdk sdk;
  private final SdkMeterProvider processorMeters;
  private final DroppedSpans dropped;

  private Tracing(OpenTelemetrySdk sdk, SdkMeterProvider processorMeters, DroppedSpans dropped) {
    this.sdk = sdk;
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
        .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(config.sampleRatio())))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter(config))
            .setMaxQueueSize(config.maxQueueSize())
            .setMaxExportBatchSize(MAX_BATCH)
            .setScheduleDelay(config.exportDelay())
            .setExporterTimeout(EXPORT_TIMEOUT)
            .setMeterProvider(processorMeters)
            .build())
        .build();
    return new Tracing(OpenTelemetrySdk.builder()
        .setTracerProvider(provider)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build(), processorMeters, dropped);
  }

  private static SpanExporter exporter(TracingConfig config) {
    if (config.exporter() == TracingConfig.Exporter.LOG) {
      return new LogSpanExporter();
    }
    String base = config.endpoint().endsWith("/")
        ? config.endpoint().substring(0, config.endpoint().length() - 1) : config.endpoint();
    if (config.protocol() == TracingConfig.Protocol.GRPC) {
      return OtlpGrpcSpanExporter.builder().setEndpoint(base).setTimeout(EXPORT_TIMEOUT).build();
    }
    return OtlpHttpSpanExporter.builder().setEndpoint(base + "/v1/traces").setTimeout(EXPORT_TIMEOUT).build();
  }

  /** Makes the Vert.x instance built by {@code builder} trace HTTP servers and clients through this SDK. */
  public VertxBuilder install(VertxBuilder builder, VertxOptions options) {
    options.setTracingOptions(new OpenTelemetryOptions());
    return builder.with(options).withTracer(new OpenTelemetryTracingFactory(sdk));
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
      sdk.getSdkTracerProvider().shutdown().join(EXPORT_TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS);
      processorMeters.shutdown();
      return null;
    }, false);
  }

  /**
   * Keeps the request's server span in {@code ctx}. Call first thing in the request handler: Vert.x makes the
   * span current on the request's context only until the response ends, and the access log runs after that.
   */
  public static void capture(RequestContext ctx) {
    Span span = Span.current();
    if (span.getSpanContext().isValid()) {
      ctx.put(SPAN, span);
    }
  }

  /**
   * Names the server span after the matched route (OTel HTTP semantic conventions: {@code "<METHOD> <route>"},
   * plus {@code http.route}), never after the raw path, so span names stay low-cardinality.
   */
  public static void routeMatched(RequestContext ctx, String method, String template) {
    Span span = ctx.get(SPAN);
    if (span != null && span.isRecording()) {
      span.setAttribute(HTTP_ROUTE, template);
      span.updateName(method + " " + template);
    }
  }

  /** Records that the gateway answered with a problem (auth failed, rate limited, ownership denied…). */
  public static void rejected(RequestContext ctx, String slug) {
    Span span = ctx.get(SPAN);
    if (span != null && span.isRecording()) {
      span.addEvent("tollgate.rejected", Attributes.of(PROBLEM, slug));
    }
  }

  /**
   * Removes the client's W3C trace-context headers from the upstream request of a traced request: Vert.x injects
   * the gateway's own (same trace, the client span as parent, the client's {@code tracestate} carried over), and a
   * copied header next to it would give the upstream two {@code traceparent}s. Untraced requests keep the client's
   * headers untouched, as any other end-to-end header.
   */
  public static void replaceTraceContext(RequestContext ctx, MultiMap upstreamHeaders) {
    if (ctx.get(SPAN) != null) {
      upstreamHeaders.remove(TRACEPARENT);
      upstreamHeaders.remove(TRACESTATE);
    }
  }

  /**
   * The trace id to show in the access log and problem bodies, or null: only for sampled requests, whose trace
   * can be looked up in the tracing backend.
   */
  public static String traceId(RequestContext ctx) {
    Span span = ctx.get(SPAN);
    if (span == null) {
      return null;
    }
    SpanContext context = span.getSpanContext();
    return context.isSampled() ? context.getTraceId() : null;
  }
}
