package io.tollgate.config;

import static io.tollgate.config.TestConfigs.errors;
import static io.tollgate.config.TestConfigs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code tracing:}. */
class TracingBinderTest {

  @Test
  void absentSectionMeansTracingOff() throws ConfigException {
    assertThat(parse("listener: { port: 0 }").tracing()).isEqualTo(TracingConfig.DEFAULT);
    assertThat(TracingConfig.DEFAULT.enabled()).isFalse();
    assertThat(TracingConfig.DEFAULT.sampleRatio()).isEqualTo(0.01);
  }

  @Test
  void allFieldsAreBound() throws ConfigException {
    TracingConfig tracing = parse("""
        tracing:
          enabled: true
          sampleRatio: 0.25
          serviceName: edge
          exportDelay: 200ms
          maxQueueSize: 100
          otlp: { endpoint: "http://jaeger:4317", protocol: grpc }
          exporter: zipkin
          zipkin: { endpoint: "http://zipkin:9411/api/v2/spans" }
        """).tracing();
    assertThat(tracing).isEqualTo(new TracingConfig(true, 0.25, "edge", "http://jaeger:4317",
        TracingConfig.Protocol.GRPC, Duration.ofMillis(200), 100, TracingConfig.Exporter.ZIPKIN,
        "http://zipkin:9411/api/v2/spans"));
  }

  @Test
  void grpcDefaultsToItsOwnPortAndRatiosMayBeIntegersOrEnvironment() throws ConfigException {
    assertThat(parse("tracing: { otlp: { protocol: grpc } }").tracing().endpoint())
        .isEqualTo("http://127.0.0.1:4317");
    assertThat(parse("tracing: { sampleRatio: 1 }").tracing().sampleRatio()).isEqualTo(1.0);
    assertThat(parse("tracing: { sampleRatio: '${RATIO}' }", Map.of("RATIO", "0.5")).tracing().sampleRatio())
        .isEqualTo(0.5);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "sampleRatio: 1.5               | tracing.sampleRatio: must be from 0 to 1, got 1.5",
      "sampleRatio: -0.1              | tracing.sampleRatio: expected a number from 0 to 1, got '-0.1'",
      "sampleRatio: all               | tracing.sampleRatio: expected a number, got 'all'",
      "enabled: maybe                 | tracing.enabled: expected true or false, got 'maybe'",
      "exportDelay: 0s                | tracing.exportDelay: must be greater than 0",
      "serviceName: ''                | tracing.serviceName: must not be empty",
      "maxQueueSize: 0                | tracing.maxQueueSize: must be at least 1",
      "otlp: { protocol: thrift }     | tracing.otlp.protocol: expected 'http' or 'grpc', got 'thrift'",
      "otlp: { endpoint: 'jaeger:4318' } | tracing.otlp.endpoint: expected an http or https base URL without path"
          + " (e.g. http://127.0.0.1:4318), got 'jaeger:4318'",
      "sampler: always                | tracing.sampler: unknown field (expected one of: enabled, sampleRatio,"
          + " serviceName, otlp, exportDelay, maxQueueSize, exporter, zipkin)",
      "exporter: jaeger               | tracing.exporter: expected 'otlp' or 'zipkin' or 'log', got 'jaeger'",
      "zipkin: { endpoint: 'zipkin:9411' } | tracing.zipkin.endpoint: expected an http or https URL"
          + " (e.g. http://127.0.0.1:9411/api/v2/spans), got 'zipkin:9411'"})
  void invalidValuesAreReportedWithTheirPath(String field, String error) {
    assertThat(errors("tracing:\n  " + field + "\n")).containsExactly(error);
  }
}
