package io.tollgate.config;

import static io.tollgate.config.TestConfigs.errors;
import static io.tollgate.config.TestConfigs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A route's {@code services} (weighted split) and {@code canary}. */
class SplitBinderTest {

  private static final String SERVICES = """
      services:
        a: { targets: [ "http://a" ] }
        b: { targets: [ "http://b" ] }
      """;

  @Test
  void theFirstWeightedServiceIsThePrimaryAndTheCanaryIsRead() throws ConfigException {
    RouteConfig route = parse(SERVICES + """
        routes:
          - id: r
            path: /r
            services: [ { name: a, weight: 95 }, { name: b, weight: 5 } ]
            canary: { header: X-Canary, value: "1", service: b }
        """).routes().get(0);
    assertThat(route.service()).isEqualTo("a");
    assertThat(route.split()).isEqualTo(new SplitConfig(List.of(new SplitConfig.WeightedService("a", 95),
        new SplitConfig.WeightedService("b", 5)), new SplitConfig.Canary("X-Canary", "1", "b")));
    assertThat(route.withService("b").service()).isEqualTo("b");
    assertThat(route.withService("b").split()).isNull();
  }

  @Test
  void aCanaryAloneKeepsTheRoutesServiceAndPlainRoutesHaveNoSplit() throws ConfigException {
    GatewayConfig config = parse(SERVICES + """
        routes:
          - { id: r, path: /r, service: a, canary: { header: X-Preview, service: b } }
          - { id: q, path: /q, service: a }
        """);
    assertThat(config.routes().get(0).service()).isEqualTo("a");
    assertThat(config.routes().get(0).split()).isEqualTo(new SplitConfig(List.of(),
        new SplitConfig.Canary("X-Preview", null, "b")));
    assertThat(config.routes().get(1).split()).isNull();
  }

  @Test
  void badSplitsAreReportedWithTheirPaths() {
    assertThat(errors(SERVICES + """
        routes:
          - { id: r, path: /r, service: a, services: [ { name: a, weight: 1 }, { name: a, weight: 2 } ] }
          - { id: q, path: /q, services: [ { name: c, weight: 1 }, { name: b, weight: -1, share: 3 } ] }
          - { id: z, path: /z, services: [ { name: a, weight: 0 } ] }
          - { id: y, path: /y, service: a, canary: { header: "X Canary", service: d } }
          - { id: x, path: /x, service: a, canary: { service: b } }
        """)).contains(
            "routes[0].service: give either service or services, not both",
            "routes[0].services[1]: service 'a' is listed twice",
            "routes[1].services[0].name: unknown service 'c' (did you mean 'a'?)",
            "routes[2].services: at least one service needs a weight above 0",
            "routes[3].canary.header: invalid header name 'X Canary'",
            "routes[3].canary.service: unknown service 'd' (did you mean 'a'?)",
            "routes[4].canary.header: is required")
        .anyMatch(e -> e.startsWith("routes[1].services[1].weight: "))
        .anyMatch(e -> e.startsWith("routes[1].services[1].share: unknown field"))
        .hasSize(9);
  }
}
