package io.tollgate.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.config.ListenerConfig.EscapedSlashes;
import io.tollgate.config.RewriteConfig;
import io.tollgate.config.RouteConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteTableTest {

  /** A spec whose payload is its id, so assertions read as "which route won". */
  private static RouteSpec<String> route(String id, String path, String methods, String... hosts) {
    Set<String> m = methods.isEmpty() ? Set.of() : Set.of(methods.split(","));
    return new RouteSpec<>(id, path, m, List.of(hosts), id);
  }

  @SafeVarargs
  private static RouteTable<String> table(RouteSpec<String>... specs) {
    List<RouteSpec<String>> list = new ArrayList<>();
    for (RouteSpec<String> spec : specs) {
      list.add(spec);
    }
    return RouteTable.compile(list);
  }

  private static RouteMatch.Found<String> found(RouteMatch<String> match) {
    assertThat(match).isInstanceOf(RouteMatch.Found.class);
    return (RouteMatch.Found<String>) match;
  }

  private static String winner(RouteTable<String> table, String method, String host, String path) {
    return found(table.match(method, host, path)).route();
  }

  @Test
  void literalBeatsParameterWhateverTheDeclarationOrder() {
    RouteTable<String> t = table(route("by-id", "/users/{id}", "GET"), route("me", "/users/me", "GET"));
    assertThat(winner(t, "GET", "h", "/users/me")).isEqualTo("me");
    RouteMatch.Found<String> byId = found(t.match("GET", "h", "/users/42"));
    assertThat(byId.route()).isEqualTo("by-id");
    assertThat(byId.params().get("id")).isEqualTo("42");
  }

  @Test
  void typedParameterBeatsUntypedOne() {
    RouteTable<String> t = table(
        route("by-name", "/items/{name}", ""), route("by-int", "/items/{id:int}", ""),
        route("by-uuid", "/items/{id:uuid}", ""));
    assertThat(winner(t, "GET", "h", "/items/5")).isEqualTo("by-int");
    assertThat(winner(t, "GET", "h", "/items/123e4567-e89b-12d3-a456-426614174000")).isEqualTo("by-uuid");
    assertThat(winner(t, "GET", "h", "/items/abc")).isEqualTo("by-name");
  }

  @Test
  void parameterBeatsCatchAllAndCatchAllTakesTheRest() {
    RouteTable<String> t = table(route("all", "/files/**", ""), route("one", "/files/{name}", ""));
    assertThat(winner(t, "GET", "h", "/files/a")).isEqualTo("one");
    RouteMatch.Found<String> deep = found(t.match("GET", "h", "/files/a/b"));
    assertThat(deep.route()).isEqualTo("all");
    assertThat(deep.params().remainder()).isEqualTo("/a/b");
    assertThat(found(t.match("GET", "h", "/files")).params().remainder()).isEmpty();
    assertThat(found(t.match("GET", "h", "/files/")).params().remainder()).isEqualTo("/");
    assertThat(t.match("GET", "h", "/filesx")).isInstanceOf(RouteMatch.NotFound.class);
  }

  @Test
  void backtracksWhenAMoreSpecificBranchFailsDeeper() {
    RouteTable<String> t = table(route("lit", "/a/b/c", ""), route("param", "/a/{x}/d", ""), route("all", "/a/**", ""));
    assertThat(winner(t, "GET", "h", "/a/b/c")).isEqualTo("lit");
    RouteMatch.Found<String> param = found(t.match("GET", "h", "/a/b/d"));
    assertThat(param.route()).isEqualTo("param");
    assertThat(param.params().get("x")).isEqualTo("b");
    RouteMatch.Found<String> all = found(t.match("GET", "h", "/a/b/e"));
    assertThat(all.route()).isEqualTo("all");
    assertThat(all.params().remainder()).isEqualTo("/b/e");
    assertThat(all.params().get("x")).as("captures of abandoned branches do not leak").isNull();
  }

  @Test
  void exactEndBeatsCatchAllAtTheSameDepth() {
    RouteTable<String> t = table(route("all", "/api/**", ""), route("exact", "/api", ""));
    assertThat(winner(t, "GET", "h", "/api")).isEqualTo("exact");
    assertThat(winner(t, "GET", "h", "/api/")).isEqualTo("all");
  }

  @Test
  void trailingSlashIsSignificant() {
    RouteTable<String> t = table(route("slash", "/checks/", ""), route("root", "/", ""));
    assertThat(winner(t, "GET", "h", "/checks/")).isEqualTo("slash");
    assertThat(t.match("GET", "h", "/checks")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(winner(t, "GET", "h", "/")).isEqualTo("root");
  }

  @Test
  void hostSpecificBeatsAnyHostAndExactBeatsWildcard() {
    RouteTable<String> t = table(
        route("any", "/x", ""), route("wild", "/x", "", "*.example.com"),
        route("wild-eu", "/x", "", "*.eu.example.com"), route("exact", "/x", "", "api.example.com"));
    assertThat(winner(t, "GET", "api.example.com", "/x")).isEqualTo("exact");
    assertThat(winner(t, "GET", "API.Example.COM", "/x")).isEqualTo("exact");
    assertThat(winner(t, "GET", "api.example.com.", "/x")).isEqualTo("exact");
    assertThat(winner(t, "GET", "shop.example.com", "/x")).isEqualTo("wild");
    assertThat(winner(t, "GET", "a.b.example.com", "/x")).as("one or more labels").isEqualTo("wild");
    assertThat(winner(t, "GET", "fr.eu.example.com", "/x")).as("longest wildcard").isEqualTo("wild-eu");
    assertThat(winner(t, "GET", "example.com", "/x")).isEqualTo("any");
    assertThat(winner(t, "GET", "badexample.com", "/x")).isEqualTo("any");
    assertThat(winner(t, "GET", null, "/x")).isEqualTo("any");
  }

  @Test
  void aRouteRanksByItsLongestMatchingWildcard() {
    RouteTable<String> t = table(route("broad", "/x", "", "*.example.com"),
        route("both", "/x", "", "*.eu.example.com", "*.example.com"));
    assertThat(winner(t, "GET", "fr.eu.example.com", "/x")).isEqualTo("both");
    assertThat(winner(t, "GET", "us.example.com", "/x")).as("tie: declaration order").isEqualTo("broad");
  }

  @Test
  void pathSpecificityComesBeforeHostSpecificity() {
    RouteTable<String> t = table(route("host-param", "/u/{id}", "", "api.example.com"), route("any-lit", "/u/me", ""));
    assertThat(winner(t, "GET", "api.example.com", "/u/me")).isEqualTo("any-lit");
    assertThat(winner(t, "GET", "api.example.com", "/u/7")).isEqualTo("host-param");
  }

  @Test
  void hostOnlyRoutesDoNotMatchOtherHosts() {
    RouteTable<String> t = table(route("admin", "/admin/**", "GET", "admin.example.com"));
    assertThat(t.match("GET", "www.example.com", "/admin/x")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(t.match("POST", "www.example.com", "/admin/x")).as("404, not 405").isInstanceOf(RouteMatch.NotFound.class);
    assertThat(t.match("GET", null, "/admin/x")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(winner(t, "GET", "Admin.Example.com", "/admin/x")).isEqualTo("admin");
  }

  @Test
  void declarationOrderBreaksTies() {
    RouteTable<String> t = table(route("first", "/dup", "GET"), route("second", "/dup", "GET"));
    assertThat(winner(t, "GET", "h", "/dup")).isEqualTo("first");
  }

  @Test
  void methodNotAllowedListsTheMethodsOfRoutesMatchingHostAndPath() {
    RouteTable<String> t = table(
        route("read", "/orders", "GET"), route("create", "/orders", "POST"),
        route("admin-put", "/orders", "PUT", "admin.example.com"), route("other", "/other", "DELETE"));
    RouteMatch<String> m = t.match("DELETE", "www.example.com", "/orders");
    assertThat(m).isInstanceOf(RouteMatch.MethodNotAllowed.class);
    RouteMatch.MethodNotAllowed<String> nope = (RouteMatch.MethodNotAllowed<String>) m;
    assertThat(nope.allowedMethods()).containsExactly("GET", "HEAD", "POST");
    assertThat(nope.allowHeader()).isEqualTo("GET, HEAD, POST");
    assertThat(((RouteMatch.MethodNotAllowed<String>) t.match("DELETE", "admin.example.com", "/orders")).allowedMethods())
        .containsExactly("GET", "HEAD", "POST", "PUT");
    assertThat(t.match("DELETE", "h", "/nothing")).isSameAs(RouteMatch.NotFound.instance());
  }

  @Test
  void aLessSpecificRouteThatAllowsTheMethodWinsOver405() {
    RouteTable<String> t = table(route("me", "/users/me", "GET"), route("delete", "/users/{id}", "DELETE"));
    RouteMatch.Found<String> m = found(t.match("DELETE", "h", "/users/me"));
    assertThat(m.route()).isEqualTo("delete");
    assertThat(m.params().get("id")).isEqualTo("me");
  }

  @Test
  void headIsAllowedWhereverGetIs() {
    RouteTable<String> t = table(route("get", "/g", "GET"), route("post", "/p", "POST"), route("any", "/a", ""));
    assertThat(winner(t, "HEAD", "h", "/g")).isEqualTo("get");
    assertThat(winner(t, "PATCH", "h", "/a")).isEqualTo("any");
    assertThat(((RouteMatch.MethodNotAllowed<String>) t.match("HEAD", "h", "/p")).allowedMethods()).containsExactly("POST");
    assertThat(t.match("get", "h", "/g")).as("methods are case-sensitive").isInstanceOf(RouteMatch.MethodNotAllowed.class);
  }

  @Test
  void typedParametersRejectBadValues() {
    RouteTable<String> t = table(route("m", "/monitors/{id:int}", "GET"), route("o", "/orders/{id:uuid}", "GET"));
    assertThat(found(t.match("GET", "h", "/monitors/42")).params().getLong("id")).isEqualTo(42L);
    assertThat(t.match("GET", "h", "/monitors/abc")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(t.match("GET", "h", "/monitors/99999999999999999999")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(t.match("GET", "h", "/monitors/-1")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(t.match("GET", "h", "/orders/42")).isInstanceOf(RouteMatch.NotFound.class);
  }

  @Test
  void routesWithoutParametersShareTheEmptyParams() {
    RouteTable<String> t = table(route("health", "/health", "GET"));
    assertThat(found(t.match("GET", "h", "/health")).params()).isSameAs(PathParams.EMPTY);
  }

  @Test
  void traversalIsRoutedAsTheResourceTheUpstreamWillSee() {
    // Dot segments are resolved before matching, so "/api/service1/../admin" is routed (with the admin route's
    // policies) as "/api/admin", and is never forwarded to service1 with "../admin" in its remainder.
    RouteTable<String> t = table(route("svc1", "/api/service1/**", ""), route("admin", "/api/admin/**", "GET"));
    for (String raw : List.of("/api/service1/../admin", "/api/service1/%2e%2e/admin", "/api/service1/%2E%2e/admin",
        "/api/service1/..\\admin")) {
      for (EscapedSlashes mode : EscapedSlashes.values()) {
        String path = PathNormalizer.normalize(raw, mode);
        assertThat(path).as(raw).isEqualTo("/api/admin");
        assertThat(winner(t, "GET", "h", path)).as(raw).isEqualTo("admin");
        assertThat(t.match("POST", "h", path)).as(raw).isInstanceOf(RouteMatch.MethodNotAllowed.class);
      }
    }
    assertThatThrownBy(() -> PathNormalizer.normalize("/api/service1/%2E%2E%2Fadmin", EscapedSlashes.REJECT))
        .isInstanceOf(BadPathException.class);
    String kept = PathNormalizer.normalize("/api/service1/%2E%2E%2Fadmin", EscapedSlashes.KEEP);
    RouteMatch.Found<String> m = found(t.match("GET", "h", kept));
    assertThat(m.route()).isEqualTo("svc1");
    assertThat(m.params().remainder()).as("one opaque segment").isEqualTo("/..%2Fadmin");
    RouteMatch.Found<String> doubled = found(t.match("GET", "h", PathNormalizer.normalize("//api//service1//x",
        EscapedSlashes.REJECT)));
    assertThat(doubled.route()).isEqualTo("svc1");
    assertThat(doubled.params().remainder()).isEqualTo("/x");
  }

  @Test
  void manyLiteralSiblingsAllResolve() {
    List<RouteSpec<String>> specs = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      specs.add(route("r" + i, "/svc" + i + "/v" + (i % 7), "GET"));
    }
    RouteTable<String> t = RouteTable.compile(specs);
    assertThat(t.size()).isEqualTo(500);
    for (int i = 0; i < 500; i++) {
      assertThat(winner(t, "GET", "h", "/svc" + i + "/v" + (i % 7))).isEqualTo("r" + i);
      assertThat(t.match("GET", "h", "/svc" + i + "/v" + (i % 7 + 1))).isInstanceOf(RouteMatch.NotFound.class);
    }
    assertThat(t.match("GET", "h", "/svc500/v0")).isInstanceOf(RouteMatch.NotFound.class);
  }

  @Test
  void emptyTableAndNonNormalizedInputFindNothing() {
    assertThat(RouteTable.<String>compile(List.of()).match("GET", "h", "/")).isInstanceOf(RouteMatch.NotFound.class);
    RouteTable<String> t = table(route("all", "/**", ""));
    assertThat(t.match("GET", "h", "")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(t.match("GET", "h", "*")).isInstanceOf(RouteMatch.NotFound.class);
  }

  @Test
  void compileNamesTheRouteOfABadPatternOrHost() {
    assertThatThrownBy(() -> table(route("broken", "/a/{id:float}", "")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("route 'broken'")
        .hasMessageContaining("float");
    assertThatThrownBy(() -> table(route("h1", "/a", "", "*")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("route 'h1'");
    assertThatThrownBy(() -> table(route("h2", "/a", "", "api.*.com")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad host 'api.*.com'");
  }

  @Test
  void seedRouteRewritesPathAndQuery() {
    RouteConfig config = new RouteConfig("monitor-checks", "/api/v1/monitors/{monitorId:int}/checks/",
        Set.of("GET"), List.of(), "monitoring",
        new RewriteConfig(null, "/internal/checks/", Map.of("target_id", "{monitorId}"), List.of(), Map.of(), List.of()),
        null, null, false, io.tollgate.config.RouteAuthConfig.PUBLIC);
    record Compiled(RouteConfig config, UpstreamPath path, QueryRewriter query) {
    }
    RouteTable<Compiled> t = RouteTable.compile(List.of(RouteSpec.of(config,
        new Compiled(config, UpstreamPath.compile(config), QueryRewriter.compile(config)))));

    String path = PathNormalizer.normalize("/api/v1/monitors/101/checks/", EscapedSlashes.REJECT);
    RouteMatch<Compiled> m = t.match("GET", "gw.example.com", path);
    if (!(m instanceof RouteMatch.Found<Compiled> f)) {
      throw new AssertionError("expected Found, got " + m);
    }
    assertThat(f.params().getLong("monitorId")).isEqualTo(101L);
    assertThat(f.route().path().build("", path, f.params())).isEqualTo("/internal/checks/");
    assertThat(f.route().path().build("/v2", path, f.params())).isEqualTo("/v2/internal/checks/");
    assertThat(f.route().query().rewrite("target_id=999&page=2", f.params())).isEqualTo("page=2&target_id=101");

    assertThat(t.match("GET", "h", "/api/v1/monitors/abc/checks/")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(t.match("GET", "h", "/api/v1/monitors/101/checks")).isInstanceOf(RouteMatch.NotFound.class);
    assertThat(t.match("POST", "h", path)).isInstanceOf(RouteMatch.MethodNotAllowed.class);
  }
}
