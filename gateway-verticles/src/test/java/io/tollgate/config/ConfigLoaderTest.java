package io.tollgate.config;

import static io.tollgate.config.TestConfigs.errors;
import static io.tollgate.config.TestConfigs.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.tollgate.config.ListenerConfig.EscapedSlashes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

  private static final String FULL = """
      listener:
        host: 0.0.0.0
        port: ${GATEWAY_PORT:8080}
        instances: 2
        trustedProxies: [10.0.0.0/8, "::1/128", 127.0.0.1]
        maxInitialLineLength: 4096
        maxHeaderSize: 8KiB
        maxBodySize: 10MiB
        escapedSlashes: Keep
      management:
        enabled: false
        host: 127.0.0.1
        port: 9902
      shutdown:
        readinessGrace: 5s
        drainTimeout: 1m30s
      services:
        service1:
          targets:
            - url: ${SERVICE1_URL:http://127.0.0.1:9001}
            - https://backend.example.com/base/
          timeouts: { connect: 500ms, response: 30s }
          maxConnectionsPerTarget: 16
        monitors:
          targets: [http://monitors.internal:8080]
          timeouts: { response: 5s }
      routes:
        - id: service1
          path: /api/service1/**
          methods: [get, POST]
          hosts: [API.example.com, "*.example.com"]
          service: service1
          auth: public
          rewrite:
            prefix: /api
            removeQuery: [debug]
            setHeaders: { X-Internal: abc }
            removeHeaders: [Authorization]
          timeouts: { response: 3s }
          maxBodySize: 1MiB
          preserveHost: true
        - id: monitor-checks
          path: /monitors/{monitorId:uuid}/checks
          service: monitors
          rewrite:
            path: /internal/checks/
            setQuery: { target_id: "{monitorId}" }
      """;

  @Test
  void fullExampleBindsToTheExpectedRecords() throws ConfigException {
    GatewayConfig config = parse(FULL);

    assertThat(config.listener()).isEqualTo(new ListenerConfig("0.0.0.0", 8080, 2,
        List.of("10.0.0.0/8", "::1/128", "127.0.0.1/32"), 4096, 8192, 10_485_760, EscapedSlashes.KEEP,
        Duration.ofSeconds(60)));
    assertThat(config.management()).isEqualTo(new ManagementConfig(false, "127.0.0.1", 9902, true));
    assertThat(config.shutdown()).isEqualTo(new ShutdownConfig(Duration.ofSeconds(5), Duration.ofSeconds(90)));
    assertThat(config.services()).containsOnlyKeys("service1", "monitors");
    assertThat(config.services().keySet()).containsExactly("service1", "monitors");
    assertThat(config.services().get("service1")).isEqualTo(new ServiceConfig("service1",
        List.of(new TargetConfig("http://127.0.0.1:9001", false, "127.0.0.1", 9001, ""),
            new TargetConfig("https://backend.example.com/base/", true, "backend.example.com", 443, "/base")),
        new TimeoutsConfig(Duration.ofMillis(500), Duration.ofSeconds(30), null, TimeoutsConfig.DEFAULT_STREAM_IDLE), 16));
    assertThat(config.services().get("monitors")).isEqualTo(new ServiceConfig("monitors",
        List.of(new TargetConfig("http://monitors.internal:8080", false, "monitors.internal", 8080, "")),
        new TimeoutsConfig(TimeoutsConfig.DEFAULT_CONNECT, Duration.ofSeconds(5), null, TimeoutsConfig.DEFAULT_STREAM_IDLE),
        64));
    assertThat(config.routes()).containsExactly(
        new RouteConfig("service1", "/api/service1/**", Set.of("GET", "POST"),
            List.of("api.example.com", "*.example.com"), "service1",
            new RewriteConfig("/api", null, Map.of(), List.of("debug"), Map.of("X-Internal", "abc"),
                List.of("Authorization")),
            new TimeoutsConfig(null, Duration.ofSeconds(3)), 1_048_576L, true, RouteAuthConfig.PUBLIC),
        new RouteConfig("monitor-checks", "/monitors/{monitorId:uuid}/checks", Set.of(), List.of(), "monitors",
            new RewriteConfig(null, "/internal/checks/", Map.of("target_id", "{monitorId}"), List.of(), Map.of(),
                List.of()),
            TimeoutsConfig.INHERIT, null, false, RouteAuthConfig.PUBLIC));
  }

  @Test
  void anEmptyDocumentIsAllDefaults() throws ConfigException {
    for (String yaml : List.of("", "# nothing\n", "services: {}\nroutes: []\n")) {
      GatewayConfig config = parse(yaml);
      assertThat(config.listener()).isEqualTo(ListenerConfig.DEFAULT);
      assertThat(config.management()).isEqualTo(ManagementConfig.DEFAULT);
      assertThat(config.shutdown()).isEqualTo(ShutdownConfig.DEFAULT);
      assertThat(config.services()).isEmpty();
      assertThat(config.routes()).isEmpty();
    }
  }

  @Test
  void defaultsMatchTheDocumentedValues() {
    assertThat(ListenerConfig.DEFAULT).isEqualTo(new ListenerConfig("0.0.0.0", 8080, 0, List.of(), 4096, 8192,
        10L * 1024 * 1024, EscapedSlashes.REJECT, Duration.ofSeconds(60)));
    assertThat(ManagementConfig.DEFAULT).isEqualTo(new ManagementConfig(true, "127.0.0.1", 9901, true));
    assertThat(ShutdownConfig.DEFAULT).isEqualTo(new ShutdownConfig(Duration.ZERO, Duration.ofSeconds(30)));
  }

  @Test
  void fiveMistakesAreAllReportedWithTheirPaths() {
    String yaml = """
        listener:
          port: 80800
        services:
          service1:
            targets:
              - url: ftp://127.0.0.1:9001
        routes:
          - id: orders
            path: /orders/**
            servce: service1
            service: srvice1
            timeouts: { response: -3s }
        """;

    assertThat(errors(yaml)).containsExactly(
        "listener.port: must be between 0 and 65535",
        "services.service1.targets[0].url: bad URL 'ftp://127.0.0.1:9001': must be an absolute http:// or https:// URL",
        "routes[0].servce: unknown field (expected one of: id, path, methods, hosts, service, rewrite, timeouts, "
            + "maxBodySize, preserveHost, auth, rateLimit, concurrency, ownership, retry, retryNonIdempotent, fallback, "
            + "services, canary, websocket)",
        "routes[0].service: unknown service 'srvice1' (did you mean 'service1'?)",
        "routes[0].timeouts.response: must not be negative");
  }

  @Test
  void theExceptionMessageListsOneErrorPerLine() {
    assertThatThrownBy(() -> parse("listener: { port: -1, instances: -1 }"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("listener.port: must be between 0 and 65535\nlistener.instances: must not be negative");
  }

  @Test
  void theResilienceExampleIsValid() throws ConfigException {
    GatewayConfig config = ConfigLoader.load(Path.of("../docs/examples/resilient-service.yaml"), Map.of());
    ServiceConfig orders = config.services().get("orders");
    assertThat(orders.retry().attempts()).isEqualTo(3);
    assertThat(orders.retry().replayBufferSize()).isEqualTo(65_536);
    assertThat(orders.circuitBreaker().slowCallDuration()).isEqualTo(Duration.ofSeconds(2));
    assertThat(orders.healthCheck().path()).isEqualTo("/healthz");
    assertThat(orders.timeouts().total()).isEqualTo(Duration.ofSeconds(8));
    RouteConfig route = config.routes().get(0);
    assertThat(route.service()).isEqualTo("orders");
    assertThat(route.allServices()).containsExactly("orders", "orders-canary", "orders-readonly");
    assertThat(config.routes().get(1).fallback().status()).isEqualTo(503);
  }

  @Test
  void theTwoServicesExampleLoads() throws ConfigException {
    GatewayConfig config = ConfigLoader.load(Path.of("../docs/examples/two-services.yaml"),
        Map.of("GATEWAY_PORT", "18080", "SERVICE2_URL", "https://orders.internal/v2/"));

    assertThat(config.listener().port()).isEqualTo(18080);
    assertThat(config.services().get("service1").targets())
        .containsExactly(new TargetConfig("http://127.0.0.1:9001", false, "127.0.0.1", 9001, ""));
    assertThat(config.services().get("service2").targets())
        .containsExactly(new TargetConfig("https://orders.internal/v2/", true, "orders.internal", 443, "/v2"));
    assertThat(config.routes()).extracting(RouteConfig::id, RouteConfig::path, RouteConfig::service)
        .containsExactly(
            tuple("service1", "/api/service1/**", "service1"),
            tuple("service2", "/api/service2/**", "service2"));
    assertThat(config.routes()).allSatisfy(route -> {
      assertThat(route.rewrite().prefix()).isEqualTo("/api");
      assertThat(route.timeouts()).isEqualTo(TimeoutsConfig.INHERIT);
    });
  }

  @Test
  void aMissingFileIsOneError() {
    assertThatThrownBy(() -> ConfigLoader.load(Path.of("does-not-exist.yaml"), Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors())
            .containsExactly(new ConfigError("<file>", "cannot read does-not-exist.yaml: no such file")));
  }

  @Nested
  class Yaml {

    @Test
    void aSyntaxErrorIsOneErrorWithLineAndColumn() {
      assertThat(errors("listener:\n  port: 8080\n host: x\n"))
          .singleElement().asString().startsWith("<yaml>: line 3, column 2: ");
      assertThat(errors("routes: [a, b\n")).singleElement().asString().startsWith("<yaml>: line 2, column 1: ");
    }

    @Test
    void anUnquotedExpressionInFlowStyleGetsAHint() {
      assertThat(errors("listener: { port: ${GATEWAY_PORT:8080} }")).containsExactly(
          "<yaml>: line 1, column 20: expected ',' or '}', but got { (while parsing a flow mapping); "
              + "inside { } or [ ], quote values that start with ${");
    }

    @Test
    void onlyOneDocumentIsAllowed() {
      assertThat(errors("listener: {}\n---\nlistener: {}\n"))
          .singleElement().asString().startsWith("<yaml>: line 2, column 1: but found another document");
    }

    @Test
    void duplicateKeysAreErrors() {
      assertThat(errors("listener:\n  port: 1\n  port: 2\n")).containsExactly("listener.port: duplicate key");
    }

    @Test
    void theRootMustBeAMapping() {
      assertThat(errors("- a\n- b\n")).containsExactly("<root>: expected a mapping, got a list");
    }

    @Test
    void customTagsAreRejected() {
      assertThat(errors("listener:\n  host: !secret abc\n"))
          .containsExactly("listener.host: unsupported YAML tag '!secret'");
    }

    @Test
    void anchorsAliasesAndMergeKeysWork() throws ConfigException {
      GatewayConfig config = parse("""
          services:
            a:
              targets: [http://a]
              timeouts: &fast { connect: 1s, response: 2s }
            b:
              targets: [http://b]
              timeouts: { <<: *fast, response: 9s }
          """);
      assertThat(config.services().get("a").timeouts())
          .isEqualTo(new TimeoutsConfig(Duration.ofSeconds(1), Duration.ofSeconds(2), null, TimeoutsConfig.DEFAULT_STREAM_IDLE));
      assertThat(config.services().get("b").timeouts())
          .isEqualTo(new TimeoutsConfig(Duration.ofSeconds(1), Duration.ofSeconds(9), null, TimeoutsConfig.DEFAULT_STREAM_IDLE));
    }

    @Test
    void unknownFieldsAreErrorsAtEveryLevel() {
      assertThat(errors("""
          listner: {}
          listener: { prot: 1 }
          services: { s: { targets: [http://s], timeout: { connect: 1s } } }
          """)).containsExactly(
          "listner: unknown field (expected one of: listener, management, shutdown, services, routes, auth, rateLimiting, ownership, tracing,"
              + " controlPlane)",
          "listener.prot: unknown field (expected one of: host, port, instances, trustedProxies, "
              + "maxInitialLineLength, maxHeaderSize, maxBodySize, escapedSlashes, idleTimeout, "
              + "maxWebSocketFrameSize)",
          "services.s.timeout: unknown field (expected one of: targets, timeouts, maxConnectionsPerTarget, loadBalancer,"
              + " outlierDetection, retry, circuitBreaker, healthCheck, discovery)");
    }

    @Test
    void wrongTypesAreErrors() {
      assertThat(errors("""
          listener: { port: [80], trustedProxies: 10.0.0.0/8, escapedSlashes: { a: b } }
          management: { enabled: yes }
          services: [a]
          routes: { a: b }
          """)).containsExactly(
          "listener.port: expected an integer, got a list",
          "listener.trustedProxies: expected a list, got '10.0.0.0/8'",
          "listener.escapedSlashes: expected a string, got a mapping",
          "management.enabled: expected true or false, got 'yes'",
          "services: expected a mapping, got a list",
          "routes: expected a list, got a mapping");
    }

    @Test
    void numbersAreStrictButStringFieldsKeepScalarsAsWritten() throws ConfigException {
      assertThat(errors("listener: { port: \"8080\" }"))
          .containsExactly("listener.port: expected an integer, got '8080'");
      assertThat(errors("listener: { port: 0x1F90 }"))
          .containsExactly("listener.port: expected an integer, got '0x1F90'");
      GatewayConfig config = parse("""
          services: { s: { targets: [http://s] } }
          routes:
            - { id: 1.10, path: /, service: s, rewrite: { setHeaders: { X-Version: 1.10, X-Flag: no } } }
          """);
      assertThat(config.routes().get(0).id()).isEqualTo("1.10");
      assertThat(config.routes().get(0).rewrite().setHeaders()).containsExactly(
          Map.entry("X-Version", "1.10"), Map.entry("X-Flag", "no"));
    }
  }

  @Nested
  class Environment {

    private static final String PORT = "listener:\n  port: ${GATEWAY_PORT:8080}\n";

    @Test
    void theDefaultAppliesWhenTheVariableIsUnset() throws ConfigException {
      assertThat(parse(PORT).listener().port()).isEqualTo(8080);
    }

    @Test
    void theVariableWinsOverTheDefault() throws ConfigException {
      assertThat(parse(PORT, Map.of("GATEWAY_PORT", "9000")).listener().port()).isEqualTo(9000);
    }

    @Test
    void aVariableWithoutDefaultIsSubstituted() throws ConfigException {
      GatewayConfig config = parse("services: { s: { targets: [ { url: '${SERVICE1_URL}' } ] } }",
          Map.of("SERVICE1_URL", "http://10.0.0.5:9001"));
      assertThat(config.services().get("s").targets().get(0).host()).isEqualTo("10.0.0.5");
    }

    @Test
    void aSecretFileIsReadWithoutItsTrailingNewlineAndAnUnreadableOneIsAnError(@org.junit.jupiter.api.io.TempDir
        java.nio.file.Path dir) throws Exception {
      java.nio.file.Path secret = dir.resolve("pepper");
      java.nio.file.Files.writeString(secret, "p".repeat(40) + "\n");
      GatewayConfig config = parse("auth: { apiKeys: { pepper: '${file:" + secret + "}' } }");
      assertThat(config.auth().apiKeys().pepper()).isEqualTo("p".repeat(40));
      assertThat(errors("auth: { apiKeys: { pepper: '${file:" + dir.resolve("missing") + "}' } }"))
          .singleElement().satisfies(error -> assertThat(error)
              .startsWith("auth.apiKeys.pepper: cannot read secret file " + dir.resolve("missing")));
      assertThat(errors("auth: { apiKeys: { pepper: '${file:relative/pepper}' } }")).singleElement()
          .satisfies(error -> assertThat(error).contains("must be an absolute path"));
    }

    @Test
    void anUnsetVariableWithoutDefaultIsAnError() {
      assertThat(errors("services: { service1: { targets: [ { url: '${SERVICE1_URL}' } ] } }")).containsExactly(
          "services.service1.targets[0].url: environment variable SERVICE1_URL is not set");
    }

    @Test
    void substitutionWorksInsideLongerStrings() throws ConfigException {
      GatewayConfig config = parse("services: { s: { targets: [ 'http://${HOST}:${PORT:9001}/v1' ] } }",
          Map.of("HOST", "backend"));
      assertThat(config.services().get("s").targets())
          .containsExactly(new TargetConfig("http://backend:9001/v1", false, "backend", 9001, "/v1"));
    }

    @Test
    void dollarDollarBraceIsALiteral() throws ConfigException {
      assertThat(header("'$${HOME} and $5 and $$'", Map.of("HOME", "/root"))).isEqualTo("${HOME} and $5 and $$");
    }

    @Test
    void anEmptyVariableCountsAsSet() throws ConfigException {
      assertThat(header("'${EMPTY:fallback}'", Map.of("EMPTY", ""))).isEqualTo("");
    }

    @Test
    void valuesCannotInjectYaml() throws ConfigException {
      assertThat(header("'${V}'", Map.of("V", "{a: [1, 2]}\troutes: []"))).isEqualTo("{a: [1, 2]}\troutes: []");
    }

    @Test
    void aWholeSubstitutionIsCoercedToTheFieldType() throws ConfigException {
      GatewayConfig config = parse("""
          listener: { instances: '${N:3}', maxBodySize: '${MAX_BODY:2MiB}' }
          management: { enabled: '${MGMT:false}' }
          shutdown: { drainTimeout: '${DRAIN:10s}' }
          """);
      assertThat(config.listener().instances()).isEqualTo(3);
      assertThat(config.listener().maxBodySize()).isEqualTo(2L << 20);
      assertThat(config.management().enabled()).isFalse();
      assertThat(config.shutdown().drainTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aPartialSubstitutionIsNotCoerced() {
      assertThat(errors("listener: { port: '80${SUFFIX:80}' }"))
          .containsExactly("listener.port: expected an integer, got '80${SUFFIX:80}'");
    }

    @Test
    void aSubstitutedValueOfTheWrongTypeIsAnError() {
      assertThat(errors(PORT, Map.of("GATEWAY_PORT", "http"))).containsExactly(
          "listener.port: expected an integer, got 'http'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"${UNCLOSED\"  | unterminated '${' (write '$${' for a literal '${')",
        "\"${BAD-NAME}\" | invalid environment variable name 'BAD-NAME' in '${BAD-NAME}'",
        "\"${}\"         | invalid environment variable name '' in '${}'",
        "\"${A:${B}}\"   | nested '${' in the default of '${A:${B}' is not supported"})
    void malformedExpressionsAreErrors(String value, String message) {
      assertThat(errors(routeWithHeader(value), Map.of()))
          .containsExactly("routes[0].rewrite.setHeaders.X-A: " + message);
    }

    private String header(String value, Map<String, String> env) throws ConfigException {
      return parse(routeWithHeader(value), env).routes().get(0).rewrite().setHeaders().get("X-A");
    }

    private String routeWithHeader(String value) {
      return "services: { s: { targets: [http://s] } }\n"
          + "routes: [ { id: r, path: /, service: s, rewrite: { setHeaders: { X-A: " + value + " } } } ]\n";
    }
  }
}
