package io.tollgate.config;

import static io.tollgate.config.TestConfigs.errors;
import static io.tollgate.config.TestConfigs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code retry:} on services and routes, {@code retryNonIdempotent} and {@code timeouts.total}. */
class RetryBinderTest {

  @Test
  void retriesAreOffUnlessConfigured() throws ConfigException {
    GatewayConfig config = parse("""
        services: { s: { targets: [ "http://a" ] } }
        routes: [ { id: r, path: /r, service: s } ]
        """);
    assertThat(config.services().get("s").retry()).isEqualTo(RetryConfig.NONE);
    assertThat(RetryConfig.NONE.enabled()).isFalse();
    RouteConfig route = config.routes().get(0);
    assertThat(route.retry()).as("null = the service's").isNull();
    assertThat(route.retryNonIdempotent()).isFalse();
    assertThat(route.timeouts().total()).isNull();
    assertThat(config.services().get("s").timeouts().totalOrResponse()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void anEmptyRetrySectionTakesEveryDefault() throws ConfigException {
    RetryConfig retry = parse("services: { s: { targets: [ \"http://a\" ], retry: {} } }").services().get("s").retry();
    assertThat(retry).isEqualTo(new RetryConfig(3, true, true, Set.of(502, 503, 504), Duration.ofMillis(25),
        Duration.ofMillis(250), Duration.ofSeconds(1), 20, 10));
    assertThat(retry.enabled()).isTrue();
  }

  @Test
  void everyFieldIsRead() throws ConfigException {
    GatewayConfig config = parse("""
        services:
          s:
            targets: [ "http://a" ]
            timeouts: { total: 4s }
            retry:
              attempts: 4
              on: [ reset, 503, 429 ]
              backoff: { base: 10ms, max: 1s, retryAfterMax: 3s }
              budget: { percent: 50, minPerSecond: 0 }
              replayBufferSize: 16KiB
        routes:
          - id: r
            path: /r
            service: s
            retryNonIdempotent: true
            timeouts: { total: 2s }
            retry: { attempts: 2, on: [ connect-failure ] }
        """);
    assertThat(config.services().get("s").retry()).isEqualTo(new RetryConfig(4, false, true, Set.of(503, 429),
        Duration.ofMillis(10), Duration.ofSeconds(1), Duration.ofSeconds(3), 50, 0, 16_384));
    assertThat(config.services().get("s").timeouts().total()).isEqualTo(Duration.ofSeconds(4));
    RouteConfig route = config.routes().get(0);
    assertThat(route.retry()).isEqualTo(new RetryConfig(2, true, false, Set.of(), Duration.ofMillis(25),
        Duration.ofMillis(250), Duration.ofSeconds(1), 20, 10));
    assertThat(route.retryNonIdempotent()).isTrue();
    assertThat(route.timeouts().total()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void badValuesAreReportedWithTheirPaths() {
    assertThat(errors("""
        services:
          s:
            targets: [ "http://a" ]
            timeouts: { total: 0s }
            retry:
              attempts: 11
              on: [ timeout, 200, 600, reset ]
              backoff: { base: 100ms, max: 50ms, jitter: full }
              budget: { percent: 120, minPerSecond: -1 }
              perTry: 1s
              replayBufferSize: 2MiB
        routes:
          - { id: r, path: /r, service: s, retry: { attempts: 0 }, retryNonIdempotent: maybe }
        """)).contains(
            "services.s.timeouts.total: must be greater than 0",
            "services.s.retry.on[0]: unknown retry condition 'timeout' (expected connect-failure, reset or a"
                + " status 400-599)",
            "services.s.retry.on[1]: unknown retry condition '200' (expected connect-failure, reset or a status"
                + " 400-599)",
            "services.s.retry.on[2]: unknown retry condition '600' (expected connect-failure, reset or a status"
                + " 400-599)",
            "services.s.retry.backoff.max: must not be shorter than base")
        .anyMatch(e -> e.startsWith("services.s.retry.attempts: "))
        .anyMatch(e -> e.startsWith("services.s.retry.backoff.jitter: unknown field"))
        .anyMatch(e -> e.startsWith("services.s.retry.budget.percent: "))
        .anyMatch(e -> e.startsWith("services.s.retry.budget.minPerSecond: "))
        .anyMatch(e -> e.startsWith("services.s.retry.perTry: unknown field"))
        .anyMatch(e -> e.startsWith("routes[0].retry.attempts: "))
        .anyMatch(e -> e.startsWith("routes[0].retryNonIdempotent: "))
        .anyMatch(e -> e.startsWith("services.s.retry.replayBufferSize: "))
        .hasSize(13);
  }
}
