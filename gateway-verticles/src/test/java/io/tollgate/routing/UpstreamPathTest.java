package io.tollgate.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.config.RewriteConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpstreamPathTest {

  private static RewriteConfig prefix(String prefix) {
    return new RewriteConfig(prefix, null, Map.of(), List.of(), Map.of(), List.of());
  }

  private static RewriteConfig path(String template) {
    return new RewriteConfig(null, template, Map.of(), List.of(), Map.of(), List.of());
  }

  /** Matches {@code path} against {@code pattern} and builds the upstream path. */
  private static String upstream(String pattern, RewriteConfig rewrite, String basePath, String path) {
    PathPattern p = PathPattern.compile(pattern);
    PathParams params = p.match(path);
    assertThat(params).as(path).isNotNull();
    return UpstreamPath.compile(p, rewrite).build(basePath, path, params);
  }

  @Test
  void withoutRewriteForwardsTheNormalizedPathItself() {
    String path = "/api/service1/orders";
    PathPattern p = PathPattern.compile("/api/service1/**");
    UpstreamPath up = UpstreamPath.compile(p, RewriteConfig.NONE);
    assertThat(up.build("", path, p.match(path))).isSameAs(path);
    assertThat(up.build(null, path, p.match(path))).isSameAs(path);
    assertThat(up.build("/base", path, p.match(path))).isEqualTo("/base/api/service1/orders");
  }

  @ParameterizedTest(name = "prefix {0}, base ''{1}'': {2} -> {3}")
  @CsvSource(delimiter = '|', value = {
      "/api   | ''    | /api/service1/orders     | /api/orders",
      "/api   | ''    | /api/service1            | /api",
      "/api   | ''    | /api/service1/           | /api/",
      "/api   | ''    | /api/service1/a/b/       | /api/a/b/",
      "/      | ''    | /api/service1/x          | /x",
      "/      | ''    | /api/service1            | /",
      "/api/  | ''    | /api/service1/x          | /api/x",
      "/api/  | ''    | /api/service1            | /api/",
      "/api   | /base | /api/service1/orders     | /base/api/orders",
      "/      | /base | /api/service1/x          | /base/x",
      "/v2    | ''    | /api/service1/..%2Fadmin | /v2/..%2Fadmin",
  })
  void prefixReplacesTheLiteralPartWithoutDoubleSlashes(String prefix, String base, String path, String expected) {
    assertThat(upstream("/api/service1/**", prefix(prefix), base, path)).isEqualTo(expected);
  }

  @Test
  void templateInsertsRawParametersAndRemainder() {
    assertThat(upstream("/api/v1/monitors/{monitorId:int}/checks/", path("/internal/checks/"), "",
        "/api/v1/monitors/101/checks/")).isEqualTo("/internal/checks/");
    assertThat(upstream("/u/{user}/f/{id:int}", path("/users/{user}/files/{id}.json"), "/base",
        "/u/caf%C3%A9/f/7")).isEqualTo("/base/users/caf%C3%A9/files/7.json");
    assertThat(upstream("/t/{tenant}/**", path("/tenants/{tenant}/{**}"), "", "/t/acme/a/b"))
        .isEqualTo("/tenants/acme/a/b");
    assertThat(upstream("/t/{tenant}/**", path("/tenants/{tenant}/{**}"), "", "/t/acme"))
        .isEqualTo("/tenants/acme/");
    assertThat(upstream("/t/{tenant}/**", path("/tenants/{tenant}{**}"), "", "/t/acme"))
        .isEqualTo("/tenants/acme");
    assertThat(upstream("/t/{tenant}/**", path("/tenants/{tenant}{**}"), "", "/t/acme/"))
        .isEqualTo("/tenants/acme/");
    assertThat(upstream("/**", path("/{**}"), "", "/")).isEqualTo("/");
  }

  @Test
  void rejectsInvalidRewrites() {
    PathPattern exact = PathPattern.compile("/a/{id}");
    PathPattern rest = PathPattern.compile("/a/**");
    assertThatThrownBy(() -> UpstreamPath.compile(exact, prefix("/x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ending in /**");
    assertThatThrownBy(() -> UpstreamPath.compile(rest,
        new RewriteConfig("/x", "/y", Map.of(), List.of(), Map.of(), List.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mutually exclusive");
    assertThatThrownBy(() -> UpstreamPath.compile(rest, prefix("x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must start with '/'");
    assertThatThrownBy(() -> UpstreamPath.compile(rest, prefix("/x/../y")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not canonical");
    assertThatThrownBy(() -> UpstreamPath.compile(exact, path("/b/{nope}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown parameter {nope}");
    assertThatThrownBy(() -> UpstreamPath.compile(exact, path("/b/{**}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("{**} needs");
    assertThatThrownBy(() -> UpstreamPath.compile(exact, path("{id}")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must start with '/'");
    assertThatThrownBy(() -> UpstreamPath.compile(exact, path("/b/{id")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'{' without '}'");
    assertThatThrownBy(() -> UpstreamPath.compile(exact, path("/b c")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid character");
  }
}
