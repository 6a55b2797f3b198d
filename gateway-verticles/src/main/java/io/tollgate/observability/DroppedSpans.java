package io.tollgate.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.MetricDataType;
import io.opentelemetry.sdk.metrics.export.CollectionRegistration;
import io.opentelemetry.sdk.metrics.export.MetricReader;

/**
 * Reads the span processor's own counter of spans it dropped (queue full: the collector is slow or down), on
 * demand — at Prometheus scrape time — rather than exporting OTel metrics anywhere. Thread-safe.
 */
final class DroppedSpans implements MetricReader {

  /** The BatchSpanProcessor's counter (OTel SDK legacy internal telemetry) and its drop attribute. */
  private static final String PROCESSED_SPANS = "processedSpans";
  private static final AttributeKey<Boolean> DROPPED = AttributeKey.booleanKey("dropped");

  private volatile CollectionRegistration registration = CollectionRegistration.noop();

  /** Spans dropped so far. */
  long count() {
    long dropped = 0;
    for (MetricData metric : registration.collectAllMetrics()) {
      if (metric.getName().equals(PROCESSED_SPANS) && metric.getType() == MetricDataType.LONG_SUM) {
        for (LongPointData point : metric.getLongSumData().getPoints()) {
          if (Boolean.TRUE.equals(point.getAttributes().get(DROPPED))) {
            dropped += point.getValue();
          }
        }
      }
    }
    return dropped;
  }

  @Override
  public void register(CollectionRegistration registration) {
    this.registration = registration;
  }

  @Override
  public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
    return AggregationTemporality.CUMULATIVE;
  }

  @Override
  public CompletableResultCode forceFlush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
