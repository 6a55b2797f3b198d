package io.tollgate.config;

import static io.tollgate.config.TestConfigs.errors;
import static io.tollgate.config.TestConfigs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code services.<name>.discovery.dns}: defaults, every field, every error with its path. */
class DiscoveryBinderTest {

  @Test
  void aDiscoveredServiceHasNoStaticTargetsAndSensibleDefaults() throws ConfigException {
    GatewayConfig config = parse("""
        services:
          s:
            discovery: { dns: { name: Orders.Internal., port: 8080 } }
        """);
    ServiceConfig service = config.services().get("s");
    assertThat(service.targets()).isEmpty();
    assertThat(service.discovery()).isEqualTo(new DnsDiscoveryConfig("orders.internal", 8080, false, "",
        Duration.ofSeconds(30), Duration.ofSeconds(2), List.of()));
  }

  @Test
  void everyFieldIsBound() throws ConfigException {
    DnsDiscoveryConfig dns = parse("""
        services:
          s:
            discovery:
              dns:
                name: api.svc.cluster.local
                port: 443
                scheme: https
                basePath: /v1/
                refresh: 5s
                timeout: 500ms
                servers: [ 10.0.0.2, "10.0.0.3:5353", "[fd00::2]:53", "fd00::3" ]
        """).services().get("s").discovery();
    assertThat(dns).isEqualTo(new DnsDiscoveryConfig("api.svc.cluster.local", 443, true, "/v1",
        Duration.ofSeconds(5), Duration.ofMillis(500), List.of(new DnsDiscoveryConfig.Server("10.0.0.2", 53),
        new DnsDiscoveryConfig.Server("10.0.0.3", 5353), new DnsDiscoveryConfig.Server("fd00::2", 53),
        new DnsDiscoveryConfig.Server("fd00::3", 53))));
    assertThat(dns.target("10.1.2.3")).isEqualTo(
        new TargetConfig("https://10.1.2.3:443/v1", true, "10.1.2.3", 443, "/v1"));
    assertThat(dns.target("fd00::7").address()).isEqualTo("[fd00::7]:443");
  }

  @Test
  void everyErrorIsReportedWithItsPath() {
    assertThat(errors("""
        services:
          a: { targets: [ "http://a" ], discovery: { dns: { name: a.internal, port: 80 } } }
          b: { discovery: {} }
          c: { discovery: { dns: { } } }
          d:
            discovery:
              dns: { name: "bad name", port: 0, scheme: ftp, basePath: nope, refresh: 50ms, timeout: 10ms,
                     servers: [ "dns.google", "10.0.0.1:99999", "[10.0.0.1]:53" ], ttl: 5 }
          e: { discovery: { dns: { name: e.internal, port: 80, refresh: 1s, timeout: 2s } } }
        """)).containsExactly(
        "services.a.targets: give either targets or discovery, not both",
        "services.b.discovery.dns: is required",
        "services.c.discovery.dns.name: is required",
        "services.c.discovery.dns.port: is required",
        "services.d.discovery.dns.ttl: unknown field (expected one of: name, port, scheme, basePath, refresh,"
            + " timeout, servers)",
        "services.d.discovery.dns.name: invalid DNS name 'bad name'",
        "services.d.discovery.dns.port: must be between 1 and 65535",
        "services.d.discovery.dns.scheme: must be http or https",
        "services.d.discovery.dns.basePath: must start with '/' and contain no spaces, control characters, '?' or '#'",
        "services.d.discovery.dns.refresh: must be at least 100ms",
        "services.d.discovery.dns.servers[0]: invalid DNS server 'dns.google' (expected an IP address with an"
            + " optional port, e.g. 10.0.0.2, 10.0.0.2:5353, [fd00::2]:53)",
        "services.d.discovery.dns.servers[1]: invalid DNS server '10.0.0.1:99999' (expected an IP address with an"
            + " optional port, e.g. 10.0.0.2, 10.0.0.2:5353, [fd00::2]:53)",
        "services.d.discovery.dns.servers[2]: invalid DNS server '[10.0.0.1]:53' (expected an IP address with an"
            + " optional port, e.g. 10.0.0.2, 10.0.0.2:5353, [fd00::2]:53)",
        "services.e.discovery.dns.timeout: must not be longer than refresh");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "10.0.0.2        | 10.0.0.2 | 53",
      "10.0.0.2:5353   | 10.0.0.2 | 5353",
      "[::1]:5300      | ::1      | 5300",
      "::1             | ::1      | 53"})
  void serversParse(String text, String host, int port) {
    assertThat(DiscoveryBinder.server(text)).isEqualTo(new DnsDiscoveryConfig.Server(host, port));
  }
}
