package io.tollgate.config;

import static io.tollgate.config.TestConfigs.route;
import static io.tollgate.config.TestConfigs.routeErrors;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code routes:}: ids, path patterns, methods, hosts, service references. */
class RouteBinderTest {

  private static final String HOST_RULE = "(expected a host name, '*.' followed by one, or an IP address)";

  @Test
  void requiredFieldsAreReported() {
    assertThat(routeErrors("  - { methods: [GET] }\n  - just-a-string\n")).containsExactly(
        "routes[0].id: is required",
        "routes[0].path: is required",
        "routes[0].service: is required",
        "routes[1]: expected a mapping, got 'just-a-string'");
  }

  @Test
  void aRouteThatCouldNeverMatchConflictsWithTheEarlierOne() {
    assertThat(routeErrors("""
          - { id: a, path: "/orders/{id}", service: service1 }
          - { id: b, path: "/orders/{orderId}", service: service1, methods: [GET] }
          - { id: c, path: "/orders/{id}", service: service1, hosts: [api.example.com] }
          - { id: d, path: /items, service: service1, methods: [GET] }
          - { id: e, path: /items, service: service1, methods: [POST] }
        """)).containsExactly(
        "routes[1].path: conflicts with route 'a': same path, hosts and methods, so this route could never match");
  }

  @Test
  void idsAreUniqueAndRestricted() {
    assertThat(routeErrors("""
          - { id: x, path: /a, service: service1 }
          - { id: y, path: /b, service: service1 }
          - { id: x, path: /c, service: service1 }
          - { id: -bad id, path: /d, service: service1 }
        """)).containsExactly(
        "routes[2].id: duplicate route id 'x' (first at routes[0])",
        "routes[3].id: invalid route id '-bad id' (use letters, digits, '.', '_' and '-', starting with a letter "
            + "or digit)");
  }

  @Test
  void unknownServicesAreReportedWithASuggestion() {
    assertThat(routeErrors("""
          - { id: a, path: /a, service: srvice1 }
          - { id: b, path: /b, service: payments }
        """)).containsExactly(
        "routes[0].service: unknown service 'srvice1' (did you mean 'service1'?)",
        "routes[1].service: unknown service 'payments'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/**", "/api/", "/orders/{id:int}/items/{item:uuid}", "/a/{b}/**", "/a%20b/x",
      "/users/{user_id}/profile", "/a:b@c/;x=1"})
  void validPathPatterns(String path) throws ConfigException {
    assertThat(route("{ id: r, path: '" + path + "', service: service1, auth: public }").path()).isEqualTo(path);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "api/a          | must start with '/'",
      "/a//b          | empty segment ('//')",
      "/a//**         | empty segment ('//')",
      "/a/**/b        | '**': '*' is only allowed in a final '/**'",
      "/a*            | 'a*': '*' is only allowed in a final '/**'",
      "/v{version}    | a parameter must be a whole segment: 'v{version}'",
      "/{1id}         | invalid parameter name in '{1id}' (use letters, digits and '_', not starting with a digit)",
      "/{id}/{id}     | duplicate parameter 'id'",
      "/{id:long}     | unknown parameter type in '{id:long}' (expected int or uuid)",
      "/a b           | character ' ' must be percent-encoded in 'a b'",
      "/a/../b        | '.' and '..' segments never match a normalised path",
      "/%zz           | bad percent-escape in '%zz'"})
  void invalidPathPatterns(String path, String message) {
    assertThat(routeErrors("  - { id: r, path: '" + path + "', service: service1 }\n"))
        .containsExactly("routes[0].path: " + message);
  }

  @Test
  void methodsAreUpperCasedTokens() throws ConfigException {
    assertThat(route("{ id: r, path: /, service: service1, methods: [get, Post, PURGE] }").methods())
        .containsExactlyInAnyOrder("GET", "POST", "PURGE");
    assertThat(routeErrors("  - { id: r, path: /, service: service1, methods: [GET, 'GE T', '', [GET]] }\n"))
        .containsExactly(
            "routes[0].methods[1]: invalid method 'GE T'",
            "routes[0].methods[2]: invalid method ''",
            "routes[0].methods[3]: expected a string, got a list");
  }

  @Test
  void hostsAreLowerCasedNamesOrWildcards() throws ConfigException {
    assertThat(route("{ id: r, path: /, service: service1, "
        + "hosts: [Api.Example.COM, '*.example.com', '[::1]', 10.0.0.1] }").hosts())
        .containsExactly("api.example.com", "*.example.com", "[::1]", "10.0.0.1");
    assertThat(routeErrors(
        "  - { id: r, path: /, service: service1, hosts: ['*', 'a.com:8080', 'a..com', 'a.*.com', '::1'] }\n"))
        .containsExactly(
            "routes[0].hosts[0]: '*' is not a host: leave hosts out to match any host",
            "routes[0].hosts[1]: 'a.com:8080' must not include a port",
            "routes[0].hosts[2]: invalid host 'a..com' " + HOST_RULE,
            "routes[0].hosts[3]: invalid host 'a.*.com' " + HOST_RULE,
            "routes[0].hosts[4]: write IPv6 addresses in brackets: '[::1]'");
  }

  @Test
  void optionalFieldsDefault() throws ConfigException {
    RouteConfig route = route("{ id: r, path: /, service: service1 }");
    assertThat(route.methods()).isEmpty();
    assertThat(route.hosts()).isEmpty();
    assertThat(route.rewrite()).isEqualTo(RewriteConfig.NONE);
    assertThat(route.timeouts()).isEqualTo(TimeoutsConfig.INHERIT);
    assertThat(route.maxBodySize()).isNull();
    assertThat(route.preserveHost()).isFalse();
  }

  @Test
  void routeOverridesAreKeptSeparateFromTheService() throws ConfigException {
    RouteConfig route = route("{ id: r, path: /, service: service1, timeouts: { connect: 1s }, maxBodySize: 0, "
        + "preserveHost: true }");
    assertThat(route.timeouts()).isEqualTo(new TimeoutsConfig(Duration.ofSeconds(1), null));
    assertThat(route.maxBodySize()).isZero();
    assertThat(route.preserveHost()).isTrue();
  }
}
