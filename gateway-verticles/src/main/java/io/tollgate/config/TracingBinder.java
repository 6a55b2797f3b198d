package io.tollgate.config;

/** Binds the {@code tracing:} section. */
final class TracingBinder {

  private TracingBinder() {
  }

  static TracingConfig tracing(Fields root) {
    Fields f = root.section("tracing", "enabled", "sampleRatio", "serviceName", "otlp", "exportDelay",
        "maxQueueSize", "exporter", "zipkin");
    TracingConfig d = TracingConfig.DEFAULT;
    Fields otlp = f.section("otlp", "endpoint", "protocol");
    TracingConfig.Protocol protocol = otlp.enumValue("protocol", TracingConfig.Protocol.class, d.protocol());
    String fallback = protocol == TracingConfig.Protocol.GRPC ? "http://127.0.0.1:4317" : d.endpoint();
    String endpoint = otlp.string("endpoint", fallback);
    if (!endpoint.matches("(?i)https?://[^/?#\\s]+/?")) {
      otlp.error("endpoint", "expected an http or https base URL without path (e.g. http://127.0.0.1:4318), got '"
          + endpoint + "'");
    }
    Fields zipkin = f.section("zipkin", "endpoint");
    String zipkinEndpoint = zipkin.string("endpoint", d.zipkinEndpoint());
    if (!zipkinEndpoint.matches("(?i)https?://[^/?#\\s]+/\\S*")) {
      zipkin.error("endpoint", "expected an http or https URL (e.g. http://127.0.0.1:9411/api/v2/spans), got '"
          + zipkinEndpoint + "'");
    }
    String serviceName = f.string("serviceName", d.serviceName());
    if (serviceName.isBlank()) {
      f.error("serviceName", "must not be empty");
    }
    return new TracingConfig(f.bool("enabled", d.enabled()), f.fraction("sampleRatio", d.sampleRatio()),
        serviceName, endpoint, protocol, f.positiveDuration("exportDelay", d.exportDelay()),
        f.integer("maxQueueSize", d.maxQueueSize(), 1, Integer.MAX_VALUE),
        f.enumValue("exporter", TracingConfig.Exporter.class, d.exporter()), zipkinEndpoint);
  }
}
