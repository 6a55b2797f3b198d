package io.tollgate.config;

import static io.tollgate.config.TestConfigs.errors;
import static io.tollgate.config.TestConfigs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code services.<name>.circuitBreaker}, {@code services.<name>.healthCheck} and a route's {@code fallback}. */
class ResilienceBinderTest {

  @Test
  void noBreakerUnlessConfiguredAndAnEmptySectionTakesTheDefaults() throws ConfigException {
    GatewayConfig config = parse("""
        services:
          plain: { targets: [ "http://a" ] }
          guarded: { targets: [ "http://b" ], circuitBreaker: {} }
        routes: [ { id: r, path: /r, service: plain } ]
        """);
    assertThat(config.services().get("plain").circuitBreaker()).isNull();
    assertThat(config.services().get("guarded").circuitBreaker()).isEqualTo(CircuitBreakerConfig.DEFAULT)
        .isEqualTo(new CircuitBreakerConfig(50, 100, Duration.ofSeconds(5), 20, 10, Duration.ofSeconds(10), 3));
    assertThat(config.routes().get(0).fallback()).isNull();
  }

  @Test
  void everyFieldIsRead() throws ConfigException {
    GatewayConfig config = parse("""
        services:
          s:
            targets: [ "http://a" ]
            circuitBreaker:
              failureRateThreshold: 30
              slowCallRateThreshold: 80
              slowCallDuration: 1500ms
              window: 50
              minimumCalls: 5
              openDuration: 30s
              halfOpenCalls: 1
        routes:
          - id: r
            path: /r
            service: s
            fallback: { status: 200, body: '{"items":[]}', contentType: application/json }
          - { id: q, path: /q, service: s, fallback: {} }
          - { id: p, path: /p, service: s, fallback: { service: s } }
        """);
    assertThat(config.services().get("s").circuitBreaker()).isEqualTo(new CircuitBreakerConfig(30, 80,
        Duration.ofMillis(1500), 50, 5, Duration.ofSeconds(30), 1));
    assertThat(config.routes().get(0).fallback()).isEqualTo(new FallbackConfig(200, "{\"items\":[]}",
        "application/json"));
    assertThat(config.routes().get(1).fallback()).isEqualTo(new FallbackConfig(200, "",
        "text/plain; charset=utf-8"));
    assertThat(config.routes().get(2).fallback().service()).isEqualTo("s");
  }

  @Test
  void aWindowDurationMakesTheWindowTimeBased() throws ConfigException {
    CircuitBreakerConfig timed = parse("""
        services: { s: { targets: [ "http://a" ], circuitBreaker: { windowDuration: 30s, minimumCalls: 100 } } }
        """).services().get("s").circuitBreaker();
    assertThat(timed.timeBased()).isTrue();
    assertThat(timed.windowDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(timed.minimumCalls()).as("not bounded by a call count").isEqualTo(100);
    assertThat(errors("""
        services:
          s: { targets: [ "http://a" ], circuitBreaker: { windowDuration: 1500ms } }
          t: { targets: [ "http://b" ], circuitBreaker: { windowDuration: 10s, window: 5 } }
          u: { targets: [ "http://c" ], circuitBreaker: { windowDuration: 2m } }
        """)).containsExactly(
            "services.s.circuitBreaker.windowDuration: must be whole seconds, at most 60s",
            "services.t.circuitBreaker.window: give either window (calls) or windowDuration (time), not both",
            "services.u.circuitBreaker.windowDuration: must be whole seconds, at most 60s");
  }

  @Test
  void aSmallWindowLowersTheDefaultMinimum() throws ConfigException {
    assertThat(parse("services: { s: { targets: [ \"http://a\" ], circuitBreaker: { window: 4 } } }")
        .services().get("s").circuitBreaker().minimumCalls()).isEqualTo(4);
  }

  @Test
  void badValuesAreReportedWithTheirPaths() {
    assertThat(errors("""
        services:
          s:
            targets: [ "http://a" ]
            circuitBreaker:
              failureRateThreshold: 0
              slowCallRateThreshold: 101
              slowCallDuration: 0s
              window: 10
              minimumCalls: 11
              openDuration: soon
              halfOpenCalls: 0
              ringBuffer: 3
        routes:
          - { id: r, path: /r, service: s, fallback: { status: 99, contentType: "not a type", json: true } }
          - { id: q, path: /q, service: s, fallback: { service: nope, body: x } }
        """)).contains(
            "routes[1].fallback.service: unknown service 'nope'",
            "routes[1].fallback.body: give either service or a static response, not both",
            "services.s.circuitBreaker.minimumCalls: must not exceed window (10)",
            "services.s.circuitBreaker.slowCallDuration: must be greater than 0",
            "routes[0].fallback.contentType: invalid media type 'not a type'")
        .anyMatch(e -> e.startsWith("services.s.circuitBreaker.failureRateThreshold: "))
        .anyMatch(e -> e.startsWith("services.s.circuitBreaker.slowCallRateThreshold: "))
        .anyMatch(e -> e.startsWith("services.s.circuitBreaker.openDuration: "))
        .anyMatch(e -> e.startsWith("services.s.circuitBreaker.halfOpenCalls: "))
        .anyMatch(e -> e.startsWith("services.s.circuitBreaker.ringBuffer: unknown field"))
        .anyMatch(e -> e.startsWith("routes[0].fallback.status: "))
        .anyMatch(e -> e.startsWith("routes[0].fallback.json: unknown field"))
        .hasSize(12);
  }

  @Test
  void healthChecksAreOffUnlessConfiguredAndEveryFieldIsRead() throws ConfigException {
    GatewayConfig config = parse("""
        services:
          plain: { targets: [ "http://a" ] }
          short: { targets: [ "http://b" ], healthCheck: { path: /healthz } }
          full:
            targets: [ "http://c" ]
            healthCheck: { path: /ready, interval: 2s, timeout: 500ms, healthyThreshold: 1, unhealthyThreshold: 5,
                           expectedStatuses: [ 200, 204 ] }
        """);
    assertThat(config.services().get("plain").healthCheck()).isNull();
    HealthCheckConfig defaults = config.services().get("short").healthCheck();
    assertThat(defaults).isEqualTo(new HealthCheckConfig("/healthz", Duration.ofSeconds(5), Duration.ofSeconds(1),
        2, 3, java.util.Set.of()));
    assertThat(defaults.passes(204)).isTrue();
    assertThat(defaults.passes(301)).isFalse();
    HealthCheckConfig full = config.services().get("full").healthCheck();
    assertThat(full).isEqualTo(new HealthCheckConfig("/ready", Duration.ofSeconds(2), Duration.ofMillis(500), 1, 5,
        java.util.Set.of(200, 204)));
    assertThat(full.passes(201)).isFalse();
  }

  @Test
  void badHealthChecksAreReportedWithTheirPaths() {
    assertThat(errors("""
        services:
          s:
            targets: [ "http://a" ]
            healthCheck: { path: "health z", interval: 1s, timeout: 2s, healthyThreshold: 0,
                           expectedStatuses: [ 99 ], method: HEAD }
          t:
            targets: [ "http://b" ]
            healthCheck: { interval: 1s }
        """)).contains(
            "services.s.healthCheck.path: must start with '/' and contain no spaces or control characters",
            "services.s.healthCheck.timeout: must not be longer than interval",
            "services.t.healthCheck.path: is required")
        .anyMatch(e -> e.startsWith("services.s.healthCheck.healthyThreshold: "))
        .anyMatch(e -> e.startsWith("services.s.healthCheck.expectedStatuses[0]: "))
        .anyMatch(e -> e.startsWith("services.s.healthCheck.method: unknown field"))
        .hasSize(6);
  }
}
