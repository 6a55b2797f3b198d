package io.tollgate.config;

import static io.tollgate.config.TestConfigs.errors;
import static io.tollgate.config.TestConfigs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code services.<name>.discovery.dns} and {@code .kubernetes}: defaults, every field, every error with its path. */
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
        Duration.ofSeconds(1), Duration.ofSeconds(300), Duration.ofSeconds(2), List.of()));
  }

  @Test
  void everyFieldIsBound() throws ConfigException {
    DnsDiscoveryConfig dns = (DnsDiscoveryConfig) parse("""
        services:
          s:
            discovery:
              dns:
                name: api.svc.cluster.local
                port: 443
                scheme: https
                basePath: /v1/
                minTtl: 2s
                maxTtl: 1m
                timeout: 500ms
                servers: [ 10.0.0.2, "10.0.0.3:5353", "[fd00::2]:53", "fd00::3" ]
        """).services().get("s").discovery();
    assertThat(dns).isEqualTo(new DnsDiscoveryConfig("api.svc.cluster.local", 443, true, "/v1",
        Duration.ofSeconds(2), Duration.ofMinutes(1), Duration.ofMillis(500), List.of(new DnsDiscoveryConfig.Server("10.0.0.2", 53),
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
              dns: { name: "bad name", port: 0, scheme: ftp, basePath: nope, minTtl: 50ms, timeout: 10ms,
                     servers: [ "dns.google", "10.0.0.1:99999", "[10.0.0.1]:53" ], ttl: 5 }
          e: { discovery: { dns: { name: e.internal, port: 80, maxTtl: 1s, timeout: 2s } } }
          f: { discovery: { dns: { name: f.internal, port: 80, minTtl: 10s, maxTtl: 5s } } }
          g: { discovery: { dns: { name: g.internal, port: 80 }, kubernetes: { namespace: n, service: g } } }
        """)).containsExactly(
        "services.a.targets: give either targets or discovery, not both",
        "services.b.discovery: one of dns or kubernetes is required",
        "services.c.discovery.dns.name: is required",
        "services.c.discovery.dns.port: is required",
        "services.d.discovery.dns.ttl: unknown field (expected one of: name, port, scheme, basePath, minTtl,"
            + " maxTtl, timeout, servers)",
        "services.d.discovery.dns.name: invalid DNS name 'bad name'",
        "services.d.discovery.dns.port: must be between 1 and 65535",
        "services.d.discovery.dns.scheme: must be http or https",
        "services.d.discovery.dns.basePath: must start with '/' and contain no spaces, control characters, '?' or '#'",
        "services.d.discovery.dns.minTtl: must be at least 100ms",
        "services.d.discovery.dns.servers[0]: invalid DNS server 'dns.google' (expected an IP address with an"
            + " optional port, e.g. 10.0.0.2, 10.0.0.2:5353, [fd00::2]:53)",
        "services.d.discovery.dns.servers[1]: invalid DNS server '10.0.0.1:99999' (expected an IP address with an"
            + " optional port, e.g. 10.0.0.2, 10.0.0.2:5353, [fd00::2]:53)",
        "services.d.discovery.dns.servers[2]: invalid DNS server '[10.0.0.1]:53' (expected an IP address with an"
            + " optional port, e.g. 10.0.0.2, 10.0.0.2:5353, [fd00::2]:53)",
        "services.e.discovery.dns.timeout: must not be longer than maxTtl",
        "services.f.discovery.dns.maxTtl: must not be shorter than minTtl",
        "services.g.discovery: give either dns or kubernetes, not both");
  }

  @Test
  void aShortMaxTtlLowersTheDefaultMinTtlAndTimeout() throws ConfigException {
    Map<String, ServiceConfig> services = parse("""
        services:
          s: { discovery: { dns: { name: s.internal, port: 80, maxTtl: 200ms } } }
          t: { discovery: { dns: { name: t.internal, port: 80, maxTtl: 100ms } } }
        """).services();
    DnsDiscoveryConfig dns = (DnsDiscoveryConfig) services.get("s").discovery();
    assertThat(dns.minTtl()).isEqualTo(Duration.ofMillis(200));
    assertThat(dns.next(3600)).isEqualTo(Duration.ofMillis(200));
    assertThat(dns.timeout()).isEqualTo(Duration.ofMillis(200));
    assertThat(((DnsDiscoveryConfig) services.get("t").discovery()).timeout()).isEqualTo(Duration.ofMillis(100));
  }

  @Test
  void theTtlIsClampedAndFailuresBackOffUpToMaxTtl() {
    DnsDiscoveryConfig dns = new DnsDiscoveryConfig("s.internal", 80, false, "", Duration.ofSeconds(1),
        Duration.ofSeconds(300), Duration.ofSeconds(2), List.of());
    assertThat(dns.next(0)).isEqualTo(Duration.ofSeconds(1));
    assertThat(dns.next(42)).isEqualTo(Duration.ofSeconds(42));
    assertThat(dns.next(3600)).isEqualTo(Duration.ofSeconds(300));
    assertThat(dns.retry(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(dns.retry(4)).isEqualTo(Duration.ofSeconds(8));
    assertThat(dns.retry(30)).isEqualTo(Duration.ofSeconds(300));
  }

  @Test
  void kubernetesDefaultsComeFromThePodsEnvironment() throws ConfigException {
    KubernetesDiscoveryConfig k8s = (KubernetesDiscoveryConfig) ConfigLoader.parse("""
        services:
          s: { discovery: { kubernetes: { namespace: shop, service: orders } } }
        """, java.util.Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT_HTTPS", "443"))
        .services().get("s").discovery();
    assertThat(k8s).isEqualTo(new KubernetesDiscoveryConfig("shop", "orders", null, "https://10.96.0.1:443",
        KubernetesDiscoveryConfig.DEFAULT_TOKEN_FILE, KubernetesDiscoveryConfig.DEFAULT_CA_FILE, false, "",
        Duration.ofSeconds(10)));
    assertThat(k8s.target("fd00::7", 8080).address()).isEqualTo("[fd00::7]:8080");
  }

  @Test
  void everyKubernetesFieldIsBound() throws ConfigException {
    KubernetesDiscoveryConfig k8s = (KubernetesDiscoveryConfig) parse("""
        services:
          s:
            discovery:
              kubernetes:
                namespace: shop
                service: orders
                port: http-api
                apiServer: https://127.0.0.1:6443/
                tokenFile: /tmp/token
                caFile: ""
                scheme: https
                basePath: /v1
                timeout: 3s
        """).services().get("s").discovery();
    assertThat(k8s).isEqualTo(new KubernetesDiscoveryConfig("shop", "orders", "http-api", "https://127.0.0.1:6443",
        "/tmp/token", "", true, "/v1", Duration.ofSeconds(3)));
  }

  @Test
  void everyKubernetesErrorIsReportedWithItsPath() {
    assertThat(errors("""
        services:
          a: { targets: [ "http://a" ], discovery: { kubernetes: { namespace: n, service: a, apiServer: "https://k" } } }
          b: { discovery: { kubernetes: { } } }
          c:
            discovery:
              kubernetes: { namespace: Shop, service: "a_b", port: Http_Port, apiServer: "https://k/api",
                            scheme: ftp, watch: true }
          d: { discovery: { kubernetes: { namespace: n, service: d, port: 70000, apiServer: "ftp://k" } } }
        """)).containsExactly(
        "services.a.targets: give either targets or discovery, not both",
        "services.b.discovery.kubernetes.namespace: is required",
        "services.b.discovery.kubernetes.service: is required",
        "services.b.discovery.kubernetes.apiServer: is required outside a Kubernetes pod (KUBERNETES_SERVICE_HOST is"
            + " not set)",
        "services.c.discovery.kubernetes.watch: unknown field (expected one of: namespace, service, port, apiServer,"
            + " tokenFile, caFile, scheme, basePath, timeout)",
        "services.c.discovery.kubernetes.namespace: invalid Kubernetes name 'Shop' (a DNS-1123 label: lower-case"
            + " letters, digits and '-')",
        "services.c.discovery.kubernetes.service: invalid Kubernetes name 'a_b' (a DNS-1123 label: lower-case"
            + " letters, digits and '-')",
        "services.c.discovery.kubernetes.port: must be a port number (1-65535) or a port name (IANA_SVC_NAME: up to"
            + " 15 lower-case letters, digits and '-', at least one letter)",
        "services.c.discovery.kubernetes.scheme: must be http or https",
        "services.c.discovery.kubernetes.apiServer: must be an http(s) URL without a path, e.g."
            + " https://10.96.0.1:443",
        "services.d.discovery.kubernetes.port: must be a port number (1-65535) or a port name (IANA_SVC_NAME: up to"
            + " 15 lower-case letters, digits and '-', at least one letter)",
        "services.d.discovery.kubernetes.apiServer: must be an http(s) URL without a path, e.g."
            + " https://10.96.0.1:443");
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
