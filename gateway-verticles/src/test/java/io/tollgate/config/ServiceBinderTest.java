package io.tollgate.config;

import static io.tollgate.config.TestConfigs.errors;
import static io.tollgate.config.TestConfigs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code services:}: targets, timeouts, pool size. */
class ServiceBinderTest {

  @Test
  void targetsHaveALongAndAShortForm() throws ConfigException {
    GatewayConfig config = parse("""
        services:
          s:
            targets:
              - url: http://a.internal
              - https://b.internal:8443/
              - http://[::1]:9001/base/path//
              - HTTP://my_service:80
        """);
    assertThat(config.services().get("s").targets()).containsExactly(
        new TargetConfig("http://a.internal", false, "a.internal", 80, ""),
        new TargetConfig("https://b.internal:8443/", true, "b.internal", 8443, ""),
        new TargetConfig("http://[::1]:9001/base/path//", false, "::1", 9001, "/base/path"),
        new TargetConfig("HTTP://my_service:80", false, "my_service", 80, ""));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "ftp://h              | must be an absolute http:// or https:// URL",
      "/relative            | must be an absolute http:// or https:// URL",
      "http:///path         | has no host",
      "http://user:pw@h     | must not contain user info (put credentials in headers)",
      "http://h/p?q=1       | must not have a query (use a route's rewrite.setQuery)",
      "http://h/p#frag      | must not have a fragment",
      "http://h:0           | port must be between 1 and 65535",
      "http://h:70000       | port must be between 1 and 65535",
      "http://300.1.1.1     | invalid host '300.1.1.1'",
      "http://[1::2::3]     | expected hex digits or ipv4 address at index 13",
      "http://h/a b         | illegal character in path at index 10"})
  void badUrlsAreReported(String url, String reason) {
    assertThat(errors("services: { s: { targets: [ { url: '" + url + "' } ] } }"))
        .containsExactly("services.s.targets[0].url: bad URL '" + url + "': " + reason);
  }

  @Test
  void aServiceNeedsTargets() {
    assertThat(errors("""
        services:
          none: {}
          empty: { targets: [] }
          nothing:
          notAMap: http://a
          badItem: { targets: [ { host: a } ] }
        """)).containsExactly(
        "services.none.targets: is required",
        "services.empty.targets: at least one target is required",
        "services.nothing.targets: is required",
        "services.notAMap: expected a mapping, got 'http://a'",
        "services.badItem.targets[0].host: unknown field (expected one of: url, weight)",
        "services.badItem.targets[0].url: is required");
  }

  @Test
  void duplicateTargetsAreReported() {
    assertThat(errors("services: { s: { targets: [ 'http://a:80/', 'http://A' ] } }"))
        .containsExactly("services.s.targets[1]: duplicate target address a:80 (same as targets[0])");
  }

  @Test
  void twoTargetsOnOneAddressAreOneTargetEvenWithDifferentPaths() {
    // Health and in-flight counts are per address: two base paths on one address could never be told apart.
    assertThat(errors("services: { s: { targets: [ 'http://a:8080/v1', 'http://a:8080/v2' ] } }"))
        .containsExactly("services.s.targets[1]: duplicate target address a:8080 (same as targets[0])");
  }

  @Test
  void serviceNamesAreRestricted() {
    assertThat(errors("services: { 'my service': { targets: [http://a] } }")).containsExactly(
        "services.my service: invalid service name (use letters, digits, '.', '_' and '-', starting with a "
            + "letter or digit)");
  }

  @Test
  void timeoutsResolveToDefaultsAndPoolSizeIsChecked() throws ConfigException {
    ServiceConfig service = parse("services: { s: { targets: [http://a], timeouts: { connect: 1s } } }")
        .services().get("s");
    assertThat(service.timeouts())
        .isEqualTo(new TimeoutsConfig(Duration.ofSeconds(1), TimeoutsConfig.DEFAULT_RESPONSE, null, TimeoutsConfig.DEFAULT_STREAM_IDLE));
    assertThat(service.maxConnectionsPerTarget()).isEqualTo(ServiceConfig.DEFAULT_MAX_CONNECTIONS_PER_TARGET);
    assertThat(parse("services: { s: { targets: [http://a] } }").services().get("s").timeouts())
        .isEqualTo(TimeoutsConfig.DEFAULT);
    assertThat(errors("services: { s: { targets: [http://a], maxConnectionsPerTarget: 0 } }"))
        .containsExactly("services.s.maxConnectionsPerTarget: must be at least 1");
  }

  @Test
  void balancerWeightsAndOutlierDetectionHaveDefaults() throws ConfigException {
    ServiceConfig s = parse("""
        services:
          s:
            targets: [ "http://a.internal" ]
        """).services().get("s");
    assertThat(s.loadBalancer()).isEqualTo(LoadBalancer.LEAST_REQUEST);
    assertThat(s.outlierDetection()).isEqualTo(OutlierDetectionConfig.DEFAULT).isEqualTo(
        new OutlierDetectionConfig(5, Duration.ofSeconds(30), Duration.ofSeconds(300), 50));
    assertThat(s.targets().get(0).weight()).isEqualTo(1);
  }

  @Test
  void balancerWeightsAndOutlierDetectionAreRead() throws ConfigException {
    ServiceConfig s = parse("""
        services:
          s:
            loadBalancer: weighted
            outlierDetection: { consecutiveFailures: 2, baseEjectionTime: 5s, maxEjectionTime: 1m, maxEjectionPercent: 30 }
            targets:
              - { url: "http://a.internal:81", weight: 3 }
              - http://b.internal
        """).services().get("s");
    assertThat(s.loadBalancer()).isEqualTo(LoadBalancer.WEIGHTED);
    assertThat(s.outlierDetection()).isEqualTo(new OutlierDetectionConfig(2, Duration.ofSeconds(5),
        Duration.ofMinutes(1), 30));
    assertThat(s.targets()).extracting(TargetConfig::weight).containsExactly(3, 1);
    assertThat(s.targets()).extracting(TargetConfig::address).containsExactly("a.internal:81", "b.internal:80");
  }

  @Test
  void badBalancerWeightsAndOutlierSettingsAreRefusedWithTheirPaths() {
    assertThat(errors("""
        services:
          s:
            loadBalancer: random
            outlierDetection: { consecutiveFailures: -1, baseEjectionTime: 1m, maxEjectionTime: 10s,
                                maxEjectionPercent: 101, interval: 10s }
            targets:
              - { url: "http://a.internal", weight: 0 }
        """)).contains(
        "services.s.loadBalancer: unknown load balancer 'random' (expected one of: least-request, round-robin, weighted, consistent-hash)",
        "services.s.outlierDetection.maxEjectionTime: must not be shorter than baseEjectionTime")
        .anyMatch(e -> e.startsWith("services.s.outlierDetection.consecutiveFailures: "))
        .anyMatch(e -> e.startsWith("services.s.outlierDetection.maxEjectionPercent: "))
        .anyMatch(e -> e.startsWith("services.s.outlierDetection.interval: unknown field"))
        .anyMatch(e -> e.startsWith("services.s.targets[0].weight: "))
        .hasSize(6);
  }

  @Test
  void consistentHashingTakesItsKeyInTheMappingFormAndTheStringFormStillWorks() throws ConfigException {
    GatewayConfig config = parse("""
        services:
          byHeader: { loadBalancer: { type: consistent-hash, hashOn: "header:X-User" }, targets: [ "http://a" ] }
          byCookie: { loadBalancer: { type: consistent-hash, hashOn: "cookie:session" }, targets: [ "http://a" ] }
          byIp: { loadBalancer: { type: consistent-hash, hashOn: ip }, targets: [ "http://a" ] }
          mapped: { loadBalancer: { type: round-robin }, targets: [ "http://a" ] }
          named: { loadBalancer: weighted, targets: [ "http://a" ] }
        """);
    assertThat(config.services().get("byHeader").hashOn()).isEqualTo(new HashOn(HashOn.Source.HEADER, "X-User"));
    assertThat(config.services().get("byHeader").loadBalancer()).isEqualTo(LoadBalancer.CONSISTENT_HASH);
    assertThat(config.services().get("byCookie").hashOn().configText()).isEqualTo("cookie:session");
    assertThat(config.services().get("byIp").hashOn()).isEqualTo(new HashOn(HashOn.Source.IP, ""));
    assertThat(config.services().get("mapped").loadBalancer()).isEqualTo(LoadBalancer.ROUND_ROBIN);
    assertThat(config.services().get("mapped").hashOn()).isNull();
    assertThat(config.services().get("named").loadBalancer()).isEqualTo(LoadBalancer.WEIGHTED);
  }

  @Test
  void consistentHashingErrorsHaveTheirPaths() {
    assertThat(errors("""
        services:
          a: { loadBalancer: consistent-hash, targets: [ "http://a" ] }
          b: { loadBalancer: { type: consistent-hash }, targets: [ "http://a" ] }
          c: { loadBalancer: { type: consistent-hash, hashOn: "query:x" }, targets: [ "http://a" ] }
          d: { loadBalancer: { type: consistent-hash, hashOn: "header:" }, targets: [ "http://a" ] }
          e: { loadBalancer: { type: round-robin, hashOn: ip }, targets: [ "http://a" ] }
          f: { loadBalancer: { hashOn: ip, key: 1 }, targets: [ "http://a" ] }
        """)).containsExactly(
        "services.a.loadBalancer: consistent-hash needs a key: { type: consistent-hash, hashOn: header:<name> |"
            + " cookie:<name> | ip }",
        "services.b.loadBalancer.hashOn: is required",
        "services.c.loadBalancer.hashOn: invalid hash key 'query:x' (expected header:<name>, cookie:<name> or ip)",
        "services.d.loadBalancer.hashOn: invalid hash key 'header:' (expected header:<name>, cookie:<name> or ip)",
        "services.e.loadBalancer.hashOn: only with type consistent-hash",
        "services.f.loadBalancer.key: unknown field (expected one of: type, hashOn)",
        "services.f.loadBalancer.type: is required",
        "services.f.loadBalancer.hashOn: only with type consistent-hash");
  }
}
