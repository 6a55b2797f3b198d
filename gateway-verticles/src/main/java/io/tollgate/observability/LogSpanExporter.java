package io.tollgate.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code tracing.exporter: log}: each finished, sampled span as one JSON line on the {@code tollgate.traces} logger
 * — trace and span ids, parent, name, kind, start, duration, status and the span's attributes — for machines
 * without a collector (the demo, a laptop). Runs on the batch processor's thread, never on an event loop.
 */
final class LogSpanExporter implements SpanExporter {

  private static final Logger TRACES = LoggerFactory.getLogger("tollgate.traces");
  private volatile boolean shutdown;

  @Override
  public CompletableResultCode export(Collection<SpanData> spans) {
    if (shutdown) {
      return CompletableResultCode.ofFailure();
    }
    for (SpanData span : spans) {
      JsonObject attributes = new JsonObject();
      span.getAttributes().forEach((AttributeKey<?> key, Object value) -> attributes.put(key.getKey(),
          value instanceof Number || value instanceof Boolean ? value : String.valueOf(value)));
      JsonObject line = new JsonObject()
          .put("traceId", span.getTraceId())
          .put("spanId", span.getSpanId())
          .put("parentSpanId", span.getParentSpanContext().isValid() ? span.getParentSpanId() : null)
          .put("name", span.getName())
          .put("kind", span.getKind().name())
          .put("startEpochNanos", span.getStartEpochNanos())
          .put("durationMs", (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1e6)
          .put("status", span.getStatus().getStatusCode().name())
          .put("events", span.getEvents().stream().map(e -> e.getName()).toList())
          .put("attributes", attributes);
      TRACES.info("{}", line.encode());
    }
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    shutdown = true;
    return CompletableResultCode.ofSuccess();
  }
}
