package io.tollgate.config;

import static io.tollgate.config.TestConfigs.route;
import static io.tollgate.config.TestConfigs.routeErrors;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code routes[i].rewrite:} and its references to the route's path parameters. */
class RewriteBinderTest {

  @Test
  void prefixNeedsACatchAllPattern() {
    assertThat(routeErrors("""
          - { id: a, path: '/a/{x}', service: service1, rewrite: { prefix: /api } }
          - { id: b, path: /b/**, service: service1, rewrite: { prefix: api } }
          - { id: c, path: /c/**, service: service1, rewrite: { prefix: /api/ } }
          - { id: d, path: /d/**, service: service1, rewrite: { prefix: '/{x}' } }
        """)).containsExactly(
        "routes[0].rewrite.prefix: only allowed when the route path ends with '/**'",
        "routes[1].rewrite.prefix: must start with '/'",
        "routes[2].rewrite.prefix: must not end with '/': the rest of the path starts with one ('/' drops the "
            + "matched part)",
        "routes[3].rewrite.prefix: must be a literal path (no parameters or wildcards)");
  }

  @Test
  void prefixAndPathAreMutuallyExclusive() {
    assertThat(routeErrors("  - { id: a, path: /a/**, service: service1, rewrite: { prefix: /, path: /b } }\n"))
        .containsExactly("routes[0].rewrite: prefix and path are mutually exclusive");
  }

  @Test
  void templatesMayOnlyUseTheRoutesParameters() throws ConfigException {
    RouteConfig ok = route("{ id: r, path: '/m/{id:uuid}/**', service: service1, "
        + "rewrite: { path: '/internal/{id}/{**}', setQuery: { id: '{id}', mode: fast } } }");
    assertThat(ok.rewrite().path()).isEqualTo("/internal/{id}/{**}");
    assertThat(ok.rewrite().setQuery()).containsExactly(Map.entry("id", "{id}"), Map.entry("mode", "fast"));

    assertThat(routeErrors("""
          - { id: a, path: '/a/{id}', service: service1, rewrite: { path: '/x/{monitorId}' } }
          - { id: b, path: /b, service: service1, rewrite: { path: '/x/{**}', setQuery: { t: '{id}' } } }
          - { id: c, path: '/c/{id}/**', service: service1, rewrite: { path: 'x/{id}', setQuery: { r: '{**}' } } }
          - { id: d, path: '/d/{id}', service: service1, rewrite: { path: '/x/{id', setQuery: { q: 'id}' } } }
          - { id: e, path: '/e', service: service1, rewrite: { path: '/x?a=b' } }
        """)).containsExactly(
        "routes[0].rewrite.path: {monitorId} is not a parameter of the route path (it has: id)",
        "routes[1].rewrite.path: {**} needs a route path ending with '/**'",
        "routes[1].rewrite.setQuery.t: {id} is not a parameter of the route path (it has none)",
        "routes[2].rewrite.path: must start with '/'",
        "routes[2].rewrite.setQuery.r: {**} is only allowed in rewrite.path",
        "routes[3].rewrite.path: unclosed '{' in '/x/{id'",
        "routes[3].rewrite.setQuery.q: unmatched '}' in 'id}'",
        "routes[4].rewrite.path: must not contain a query (use setQuery)");
  }

  @Test
  void referencesAreNotCheckedAgainstAnInvalidPath() {
    assertThat(routeErrors("  - { id: a, path: '/a/{id:long}', service: service1, rewrite: { path: '/x/{id}' } }\n"))
        .containsExactly("routes[0].path: unknown parameter type in '{id:long}' (expected int or uuid)");
  }

  @Test
  void headersAndQueryNamesMustBeValid() {
    assertThat(routeErrors("""
          - id: a
            path: /a
            service: service1
            rewrite:
              setHeaders: { 'Bad Name': x, Content-Length: '0', X-A: a, x-a: b, X-B: "a\\r\\nInjected: yes" }
              removeHeaders: [Authorization, 'Bad:Name']
              removeQuery: ['']
        """)).containsExactly(
        "routes[0].rewrite.removeQuery[0]: must not be empty",
        "routes[0].rewrite.setHeaders.Bad Name: invalid header name",
        "routes[0].rewrite.setHeaders.Content-Length: cannot set Content-Length: the proxy manages hop-by-hop and "
            + "framing headers",
        "routes[0].rewrite.setHeaders.x-a: duplicate header (header names are case-insensitive: see X-A)",
        "routes[0].rewrite.setHeaders.X-B: header value must not contain control characters such as CR or LF",
        "routes[0].rewrite.removeHeaders[1]: invalid header name 'Bad:Name'");
  }
}
