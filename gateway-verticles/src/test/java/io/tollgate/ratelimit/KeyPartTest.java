package io.tollgate.ratelimit;

import static io.tollgate.testing.FakeRequest.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.auth.Principal;
import io.tollgate.config.ConfigException;
import io.tollgate.config.ConfigLoader;
import io.tollgate.config.GatewayConfig;
import io.tollgate.pipeline.RequestContext;
import io.tollgate.proxy.TrustedProxies;
import io.tollgate.routing.CompiledRoute;
import io.tollgate.routing.PathParams;
import io.tollgate.testing.FakeRequest;
import io.tollgate.testing.VerifiedTokens;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What each key part contributes to a limit's key: the caller's identity, or the client IP when it is absent. */
class KeyPartTest {

  private static final String PEER = "203.0.113.5";
  private static final String DIGEST = "#[A-Za-z0-9_-]{22}";

  private static RequestContext anonymous() {
    return context(request().remote(PEER, 50_000));
  }

  private static RequestContext context(FakeRequest request) {
    return new RequestContext(request.build(), "req-1", System.nanoTime());
  }

  private static RequestContext withJwt(JsonObject claims) {
    RequestContext ctx = anonymous();
    ctx.put(Principal.KEY, VerifiedTokens.principal(claims));
    return ctx;
  }

  private static RequestContext withApiKey(String consumer) {
    RequestContext ctx = anonymous();
    ctx.put(Principal.KEY, new Principal(Principal.Kind.API_KEY, consumer, null, Set.of(), Set.of(), null));
    return ctx;
  }

  private static String key(String spec, RequestContext ctx) {
    StringBuilder key = new StringBuilder();
    KeyPart.parse(spec, "org_id").append(key, ctx, TrustedProxies.NONE);
    return key.toString();
  }

  @Test
  void ipIsThePeerAddress() {
    assertThat(key("ip", anonymous())).isEqualTo("ip=" + PEER);
    assertThat(key("ip", withJwt(new JsonObject().put("sub", "alice")))).isEqualTo("ip=" + PEER);
  }

  @Test
  void identityPartsReadTheVerifiedCaller() {
    RequestContext ctx = withJwt(new JsonObject().put("sub", "alice").put("org_id", "acme")
        .put("org", new JsonObject().put("plan", "gold")));

    assertThat(key("sub", ctx)).as("qualified by the issuer: another issuer's alice is someone else")
        .isEqualTo("sub=main:alice");
    assertThat(key("tenant", ctx)).as("tenant reads rateLimiting.tenantClaim").isEqualTo("tenant=acme");
    assertThat(key("claim:org_id", ctx)).isEqualTo("claim:org_id=acme");
    assertThat(key("claim:org.plan", ctx)).isEqualTo("claim:org.plan=gold");
    assertThat(key("consumer", withApiKey("partner-a"))).isEqualTo("consumer=partner-a");
    assertThat(key("sub", withApiKey("partner-a"))).isEqualTo("sub=api-key:partner-a");
  }

  @Test
  void aMissingIdentityFallsBackToTheClientIp() {
    RequestContext noTenant = withJwt(new JsonObject().put("sub", "alice"));

    assertThat(key("sub", anonymous())).isEqualTo("ip=" + PEER);
    assertThat(key("tenant", noTenant)).isEqualTo("ip=" + PEER);
    assertThat(key("claim:org", noTenant)).isEqualTo("ip=" + PEER);
    assertThat(key("consumer", noTenant)).as("a JWT caller is no API-key consumer").isEqualTo("ip=" + PEER);
    assertThat(key("tenant", withApiKey("partner-a"))).isEqualTo("ip=" + PEER);
    assertThat(key("route", anonymous())).as("before routing").isEqualTo("ip=" + PEER);
  }

  @Test
  void headerPartsReadTheHeaderCaseInsensitivelyAndFallBackWhenAbsentOrEmpty() {
    RequestContext ctx = context(request().remote(PEER, 50_000).header("x-tenant", "blue"));

    assertThat(key("header:X-Tenant", ctx)).isEqualTo("header:x-tenant=blue");
    assertThat(key("header:X-Other", ctx)).isEqualTo("ip=" + PEER);
    assertThat(key("header:X-Tenant", context(request().remote(PEER, 50_000).header("X-Tenant", ""))))
        .isEqualTo("ip=" + PEER);
  }

  @Test
  void routeIsTheMatchedRouteId() throws ConfigException {
    GatewayConfig config = ConfigLoader.parse("""
        services: { s: { targets: [http://a] } }
        routes: [ { id: orders, path: /orders, service: s } ]
        """, Map.of());
    RequestContext ctx = anonymous();
    ctx.matched(CompiledRoute.compile(config.routes().get(0), config), PathParams.EMPTY);

    assertThat(key("route", ctx)).isEqualTo("route=orders");
  }

  @Test
  void aPlainValueOfSixtyFourCharactersIsKept() {
    String value = "a".repeat(64);

    assertThat(key("header:X-Id", withHeader(value))).isEqualTo("header:x-id=" + value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{tag}", "a,b", "a=b", "a#b", "a|b", "a b", "tab\there", "caf\u00e9"})
  void unsafeValuesAreReplacedByADigest(String value) {
    assertThat(key("header:X-Id", withHeader(value))).matches("header:x-id=" + DIGEST);
  }

  @Test
  void unsafeClaimValuesAreReplacedByADigestToo() {
    RequestContext ctx = withJwt(new JsonObject().put("sub", "ali\u0001ce").put("org_id", "acme}:{other"));

    assertThat(key("sub", ctx)).matches("sub=" + DIGEST);
    assertThat(key("tenant", ctx)).matches("tenant=" + DIGEST);
  }

  @Test
  void longValuesAreReplacedByADigestThatTellsValuesApart() {
    String a = key("header:X-Id", withHeader("x".repeat(65)));
    String b = key("header:X-Id", withHeader("x".repeat(64) + "y"));

    assertThat(a).matches("header:x-id=" + DIGEST);
    assertThat(b).matches("header:x-id=" + DIGEST).isNotEqualTo(a);
    assertThat(key("header:X-Id", withHeader("x".repeat(65)))).as("stable across requests").isEqualTo(a);
    assertThat(key("header:X-Id", withHeader("a b"))).isNotEqualTo(key("header:X-Id", withHeader("a  b")));
  }

  @Test
  void specsKeepTheirLabel() {
    assertThat(List.of("ip", "sub", "tenant", "consumer", "route", "header:X-Tenant", "claim:org"))
        .extracting(spec -> KeyPart.parse(spec, "org_id").label())
        .containsExactly("ip", "sub", "tenant", "consumer", "route", "header:x-tenant", "claim:org");
  }

  private static RequestContext withHeader(String value) {
    return context(request().remote(PEER, 50_000).header("X-Id", value));
  }

  /** A real verified token: HS256-signed claims through {@link JwtVerifier}. */
}
