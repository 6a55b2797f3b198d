package io.tollgate.config;

import java.time.Duration;

/**
 * OpenTelemetry tracing ({@code tracing:} in YAML). When enabled, Vert.x makes a server span per request and a
 * client span per upstream request, W3C {@code traceparent}/{@code tracestate} are continued from clients and
 * propagated to upstreams, and sampled spans are batched to an OTLP collector (e.g. Jaeger).
 *
 * @param enabled     default {@code false}
 * @param sampleRatio fraction of new traces recorded, from 0 to 1; default {@code 0.01}. Parent-based: a request
 *                    carrying a {@code traceparent} follows the caller's sampled flag instead
 * @param serviceName the {@code service.name} resource attribute; default {@code tollgate}
 * @param endpoint    the OTLP collector's base URL; default {@code http://127.0.0.1:4318} (HTTP) or
 *                    {@code http://127.0.0.1:4317} (gRPC). HTTP appends {@code /v1/traces}
 * @param protocol    {@code http} (protobuf over HTTP, default) or {@code grpc}
 * @param exportDelay how long finished spans wait to be batched before export; default {@code 5s}
 * @param maxQueueSize finished spans held for export, at least 1; default {@code 2048}. When full (collector slow
 *                    or down) new spans are dropped and counted, never waited for
 * @param exporter    {@code otlp} (default), {@code zipkin} (JSON v2 over HTTP to {@code zipkinEndpoint}) or
 *                    {@code log}: one JSON line per span on the {@code tollgate.traces} logger, for machines without
 *                    a collector (the demo)
 * @param zipkinEndpoint where the {@code zipkin} exporter posts spans; default
 *                    {@code http://127.0.0.1:9411/api/v2/spans}
 */
public record TracingConfig(boolean enabled, double sampleRatio, String serviceName, String endpoint,
    Protocol protocol, Duration exportDelay, int maxQueueSize, Exporter exporter, String zipkinEndpoint) {

  /** Where sampled spans go. */
  public enum Exporter { OTLP, ZIPKIN, LOG }

  /** The OTLP transport. */
  public enum Protocol { HTTP, GRPC }

  /** What an absent {@code tracing:} section means: tracing off. */
  public static final TracingConfig DEFAULT =
      new TracingConfig(false, 0.01, "tollgate", "http://127.0.0.1:4318", Protocol.HTTP, Duration.ofSeconds(5), 2048,
          Exporter.OTLP, "http://127.0.0.1:9411/api/v2/spans");
}
