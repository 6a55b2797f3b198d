package io.tollgate.config;

import static io.tollgate.config.TestConfigs.errors;
import static io.tollgate.config.TestConfigs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ownership:} (the replica's Kafka source) and each route's {@code ownership:} rule. */
class OwnershipBinderTest {

  private static final String SOURCE = "ownership:\n  kafka: { bootstrapServers: 127.0.0.1:9092 }\n";
  private static final String ISSUER = "auth:\n  issuers:\n    - { name: idp, issuer: https://idp.example,"
      + " jwksUri: https://idp.example/jwks }\n";

  private static String withRoute(String head, String route) {
    return head + ISSUER + TestConfigs.SERVICES + "routes:\n  - " + route + "\n";
  }

  @Test
  void noSectionMeansNoReplica() throws ConfigException {
    assertThat(parse("").ownership()).isNull();
  }

  @Test
  void theSourceHasDefaultsAndExtraConsumerProperties() throws ConfigException {
    OwnershipConfig config = parse("""
        ownership:
          kafka:
            bootstrapServers: kafka-1:9092,kafka-2:9092
            properties: { security.protocol: SSL }
        """).ownership();

    assertThat(config).isEqualTo(new OwnershipConfig("kafka-1:9092,kafka-2:9092", "tollgate.ownership.v1",
        Map.of("security.protocol", "SSL")));
  }

  @Test
  void theSourceIsChecked() {
    assertThat(errors("""
        ownership:
          kafka:
            bootstrapServers: "kafka-1, kafka-2"
            properties: { group.id: mine, enable.auto.commit: "true" }
          topic: "bad topic"
        """)).containsExactly(
        "ownership.kafka.bootstrapServers: expected host:port[,host:port...], got 'kafka-1, kafka-2'",
        "ownership.kafka.properties.group.id: set by the gateway; cannot be overridden",
        "ownership.kafka.properties.enable.auto.commit: set by the gateway; cannot be overridden",
        "ownership.topic: invalid Kafka topic name 'bad topic'");
    assertThat(errors("ownership:\n  topic: t\n")).containsExactly("ownership.kafka.bootstrapServers: is required");
  }

  @Test
  void aRuleDefaultsToTheOnlyPathParameterAndTheSubClaim() throws ConfigException {
    RouteConfig route = parse(withRoute(SOURCE,
        "{ id: r, path: '/api/monitors/{monitorId:int}/checks/', service: service1, ownership: { resource: monitor } }"))
        .routes().get(0);

    assertThat(route.ownership()).isEqualTo(new RouteOwnershipConfig("monitor", "monitorId", "sub", null));
  }

  @Test
  void aRuleNamesItsParameterAndClaims() throws ConfigException {
    RouteConfig route = parse(withRoute(SOURCE, "{ id: r, path: '/api/t/{tenant}/pods/{podId}', service: service1,"
        + " ownership: { resource: pod, idParam: podId, ownerClaim: email, tenantClaim: org } }")).routes().get(0);

    assertThat(route.ownership()).isEqualTo(new RouteOwnershipConfig("pod", "podId", "email", "org"));
  }

  @Test
  void aRuleIsCheckedAgainstThePathTheAuthAndTheSource() {
    assertThat(errors(withRoute(SOURCE, "{ id: r, path: '/api/a/{x}/b/{y}', service: service1,"
        + " ownership: { resource: Monitor } }"))).containsExactly(
        "routes[0].ownership.resource: invalid resource type 'Monitor' (lower-case letters, digits, '.', '_', '-')",
        "routes[0].ownership: name the path parameter holding the id (idParam); the path has 2: x, y");
    assertThat(errors(withRoute(SOURCE, "{ id: r, path: '/api/a/{x}', service: service1,"
        + " ownership: { resource: m, idParam: y } }"))).containsExactly(
        "routes[0].ownership.idParam: 'y' is not a parameter of the route's path (x)");
    assertThat(errors(withRoute(SOURCE, "{ id: r, path: '/api/a/{x}', service: service1, auth: public,"
        + " ownership: { resource: m } }"))).containsExactly(
        "routes[0].ownership: an ownership rule needs an authenticated caller; the route is public");
    assertThat(errors(withRoute("", "{ id: r, path: '/api/a/{x}', service: service1, ownership: { resource: m } }")))
        .containsExactly("routes[0].ownership: needs the ownership replica: configure ownership.kafka at the top level");
    assertThat(errors(withRoute(SOURCE, "{ id: r, path: '/api/a/{x}', service: service1, ownership: {} }")))
        .containsExactly("routes[0].ownership.resource: is required");
  }

  @Test
  void aRuleNeedsOneCredentialSourceSinceOwnerIdsLiveInTheirIssuersNamespace() throws ConfigException {
    String twoIssuers = "auth:\n  issuers:\n"
        + "    - { name: a, issuer: https://a.example, jwksUri: https://a.example/jwks }\n"
        + "    - { name: b, issuer: https://b.example, jwksUri: https://b.example/jwks }\n";
    String routes = TestConfigs.SERVICES + "routes:\n  - { id: r, path: '/api/a/{x}', service: service1, %s"
        + "ownership: { resource: m } }\n";
    assertThat(errors(SOURCE + twoIssuers + routes.formatted(""))).containsExactly(
        "routes[0].ownership: the owner is compared with one claim, so the route must accept credentials from one"
            + " source; it accepts issuer a, issuer b (restrict auth.accept or auth.issuers)");
    assertThat(parse(SOURCE + twoIssuers + routes.formatted("auth: { issuers: [b] }, ")).routes().get(0).ownership())
        .isNotNull();
  }
}
