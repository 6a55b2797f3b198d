package io.tollgate.auth;

import static io.tollgate.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.auth.apikey.ApiKeyHasher;
import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.auth.JwsAlgorithm;
import io.tollgate.testkit.auth.TokenBuilder;
import io.tollgate.testkit.auth.TokenIssuer;
import io.tollgate.testkit.peers.RecordedRequest;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Authentication and authorization end to end: a real OIDC issuer (discovery + JWKS over HTTP), the gateway
 * fetching its keys, real upstreams seeing what the gateway forwards.
 */
@ExtendWith(BlockedThreadGuard.class)
class AuthIT {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String PARTNER_KEY = ApiKeyHasher.generate();

  private static Vertx vertx;
  private static TokenIssuer idp;
  private static UpstreamPeer upstream;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    idp = TokenIssuer.start(vertx);
    // Keys are refreshed at the issuer's Cache-Control max-age (clamped to minRefresh 1s below): every second.
    idp.jwksMaxAge(Duration.ofSeconds(1));
    upstream = UpstreamPeer.start(vertx);
    gateway = TestGateway.start("""
        listener: { port: 0 }
        management: { port: 0 }
        auth:
          issuers:
            - name: idp
              discovery: ${IDP_DISCOVERY}
              algorithms: [RS256, PS256, ES256, EdDSA]
              minRefresh: 1s
          apiKeys:
            keys:
              - consumer: partner-a
                hash: ${PARTNER_HASH}
                scopes: [orders:read]
        services:
          app:
            targets: [ "${APP_URL}" ]
        routes:
          - id: orders
            path: /api/orders/**
            service: app
            auth: { claimHeaders: { sub: X-User-Id } }
          - id: admin
            path: /api/admin/**
            service: app
            auth: { accept: [jwt], scopes: [admin:write], roles: [ops] }
          - id: partners
            path: /api/partners/**
            service: app
            auth: { accept: [api-key], scopes: [orders:read], claimHeaders: { sub: X-Consumer-Id } }
          - id: audience
            path: /api/aud/**
            service: app
            auth: { audiences: [ "api://orders" ] }
          - id: internal
            path: /api/internal/**
            service: app
            rewrite:
              removeHeaders: [ Authorization ]
              setHeaders: { Authorization: "Bearer internal-service-credential" }
          - id: public
            path: /api/public/**
            service: app
            auth: public
        """, Map.of("IDP_DISCOVERY", idp.discoveryUri(), "APP_URL", upstream.baseUrl(),
            "PARTNER_HASH", ApiKeyHasher.sha256().hash(PARTNER_KEY)));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    vertx.close().await();
  }

  @BeforeEach
  void reset() {
    upstream.reset();
    idp.up();
  }

  @Test
  void missingCredentialsGet401WithABearerChallengeAndNothingReachesTheUpstream() {
    HttpResponse<String> response = gateway.get("/api/orders/1");
    assertProblem(response, 401, "unauthorized");
    assertThat(response.headers().firstValue("www-authenticate")).contains("Bearer realm=\"tollgate\"");
    assertThat(gateway.get("/api/public/x").statusCode()).isEqualTo(200);
    assertThat(upstream.requestCount()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(JwsAlgorithm.class)
  void validTokensOfEveryAlgorithmPassAndTheSubjectIsForwardedNotTheClientsCopy(JwsAlgorithm alg) {
    String token = idp.token().alg(alg).sub("alice").sign();
    HttpResponse<String> response = gateway.send(gateway.request("/api/orders/7")
        .header("Authorization", "Bearer " + token).header("X-User-Id", "mallory").GET().build());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    RecordedRequest got = upstream.takeRequest(WAIT);
    assertThat(got.headers().getAll("X-User-Id")).containsExactly("alice");
  }

  static Stream<Arguments> badTokens() {
    return Stream.of(
        Arguments.of("alg none", (Function<TokenBuilder, TokenBuilder>) TokenBuilder::algNone),
        Arguments.of("bad signature", (Function<TokenBuilder, TokenBuilder>) TokenBuilder::badSignature),
        Arguments.of("HS256 signed with the RSA public key", (Function<TokenBuilder, TokenBuilder>) TokenBuilder::algConfusion),
        Arguments.of("unknown kid", (Function<TokenBuilder, TokenBuilder>) TokenBuilder::unknownKid),
        Arguments.of("foreign key", (Function<TokenBuilder, TokenBuilder>) TokenBuilder::foreignKey),
        Arguments.of("embedded jwk", (Function<TokenBuilder, TokenBuilder>) TokenBuilder::embeddedJwk),
        Arguments.of("jku", (Function<TokenBuilder, TokenBuilder>) TokenBuilder::jku),
        Arguments.of("expired", (Function<TokenBuilder, TokenBuilder>) TokenBuilder::expired),
        Arguments.of("not yet valid", (Function<TokenBuilder, TokenBuilder>) TokenBuilder::notYetValid),
        Arguments.of("issued in the future", (Function<TokenBuilder, TokenBuilder>) TokenBuilder::issuedInFuture),
        Arguments.of("missing exp", (Function<TokenBuilder, TokenBuilder>) b -> b.without("exp")),
        Arguments.of("wrong issuer", (Function<TokenBuilder, TokenBuilder>) b -> b.iss("https://evil.example")),
        Arguments.of("kid traversal", (Function<TokenBuilder, TokenBuilder>) b -> b.header("kid", "../../etc/passwd")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badTokens")
  void badTokensAreRejectedWith401InvalidToken(String name, Function<TokenBuilder, TokenBuilder> spoil) {
    String token = spoil.apply(idp.token().sub("alice")).sign();
    HttpResponse<String> response = gateway.send(gateway.request("/api/orders/1")
        .header("Authorization", "Bearer " + token).GET().build());
    assertProblem(response, 401, "unauthorized");
    assertThat(response.headers().firstValue("www-authenticate").orElseThrow()).contains("error=\"invalid_token\"");
    assertThat(upstream.requestCount()).isZero();
  }

  @Test
  void rejectionsAreCountedByReasonAndTheTokenIsNeverLogged() throws Exception {
    long before = counter("auth.rejected.expired");
    String expired = idp.token().sub("eve").expired().sign();
    gateway.send(gateway.request("/api/orders/1").header("Authorization", "Bearer " + expired).GET().build());
    assertThat(counter("auth.rejected.expired")).isEqualTo(before + 1);
  }

  @Test
  void aRetiredKeyStopsBeingAcceptedAfterTheNextRefresh() throws Exception {
    String oldKid = idp.signingKey().kid();
    String oldToken = idp.token().sub("frank").sign();
    assertThat(gateway.send(gateway.request("/api/orders/o").header("Authorization", "Bearer " + oldToken)
        .GET().build()).statusCode()).isEqualTo(200);
    idp.rotate();
    idp.retire(oldKid);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    int status = 200;
    while (System.nanoTime() < deadline && status == 200) {
      Thread.sleep(250);
      status = gateway.send(gateway.request("/api/orders/o").header("Authorization", "Bearer " + oldToken)
          .GET().build()).statusCode();
    }
    assertThat(status).as("a token signed with the retired key").isEqualTo(401);
  }

  private static long counter(String name) throws Exception {
    var body = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + gateway.managementPort() + "/status")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    Long value = new io.vertx.core.json.JsonObject(body).getJsonObject("counters").getLong(name);
    return value == null ? 0 : value;
  }

  @Test
  void garbageAndOversizedTokensAre401NotServerErrors() {
    for (String token : new String[] {"not-a-jwt", "a.b.c", "!!!.???.***", "x".repeat(9_000)}) {
      HttpResponse<String> response = gateway.send(gateway.request("/api/orders/1")
          .header("Authorization", "Bearer " + token).GET().build());
      assertThat(response.statusCode()).as(token.substring(0, Math.min(20, token.length()))).isIn(401, 431);
    }
    assertThat(upstream.requestCount()).isZero();
  }

  @Test
  void aRouteCanRequireItsOwnAudience() {
    assertProblem(gateway.send(gateway.request("/api/aud/x")
        .header("Authorization", "Bearer " + idp.token().sub("a").aud("api://billing").sign()).GET().build()),
        401, "unauthorized");
    assertThat(gateway.send(gateway.request("/api/aud/x")
        .header("Authorization", "Bearer " + idp.token().sub("a").aud("api://orders").sign()).GET().build())
        .statusCode()).isEqualTo(200);
  }

  @Test
  void internalUpstreamsGetTheirOwnCredentialNeverTheClientsToken() {
    String token = idp.token().sub("alice").sign();
    assertThat(gateway.send(gateway.request("/api/internal/x").header("Authorization", "Bearer " + token)
        .GET().build()).statusCode()).isEqualTo(200);
    RecordedRequest got = upstream.takeRequest(WAIT);
    assertThat(got.headers().getAll("Authorization")).containsExactly("Bearer internal-service-credential");
  }

  @Test
  void aMissingScopeOrRoleIs403() {
    String noScope = idp.token().sub("bob").roles("ops").sign();
    HttpResponse<String> forbidden = gateway.send(gateway.request("/api/admin/x")
        .header("Authorization", "Bearer " + noScope).GET().build());
    assertProblem(forbidden, 403, "forbidden");
    assertThat(forbidden.headers().firstValue("www-authenticate").orElseThrow())
        .contains("error=\"insufficient_scope\"").contains("scope=\"admin:write\"");

    String both = idp.token().sub("bob").scope("admin:write", "other").roles("ops").sign();
    assertThat(gateway.send(gateway.request("/api/admin/x").header("Authorization", "Bearer " + both)
        .GET().build()).statusCode()).isEqualTo(200);
  }

  @Test
  void apiKeysAuthenticateTheirConsumerAndWrongKeysAreRejected() {
    HttpResponse<String> ok = gateway.send(gateway.request("/api/partners/orders")
        .header("X-API-Key", PARTNER_KEY).GET().build());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(upstream.takeRequest(WAIT).header("X-Consumer-Id")).isEqualTo("partner-a");

    assertProblem(gateway.send(gateway.request("/api/partners/orders")
        .header("X-API-Key", PARTNER_KEY + "x").GET().build()), 401, "unauthorized");
    // A JWT is not accepted where only API keys are.
    assertProblem(gateway.send(gateway.request("/api/partners/orders")
        .header("Authorization", "Bearer " + idp.mint()).GET().build()), 401, "unauthorized");
  }

  @Test
  void aRotatedKeyIsAcceptedOnceTheGatewayRefetchesAndTheIssuerBeingDownKeepsCachedKeysWorking() throws Exception {
    idp.rotate();
    String rotated = idp.token().sub("carol").sign();
    // The first sight of the new kid triggers a (rate-limited) refetch; within a refresh it is accepted.
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    int status = 0;
    while (System.nanoTime() < deadline && status != 200) {
      status = gateway.send(gateway.request("/api/orders/r").header("Authorization", "Bearer " + rotated)
          .GET().build()).statusCode();
      if (status != 200) {
        Thread.sleep(200);
      }
    }
    assertThat(status).isEqualTo(200);

    idp.down();
    String whileDown = idp.token().sub("dave").sign();
    assertThat(gateway.send(gateway.request("/api/orders/d").header("Authorization", "Bearer " + whileDown)
        .GET().build()).statusCode()).as("cached keys keep working while the IdP is down").isEqualTo(200);
    String unknownKid = idp.token().sub("dave").unknownKid().sign();
    assertThat(gateway.send(gateway.request("/api/orders/d").header("Authorization", "Bearer " + unknownKid)
        .GET().build()).statusCode()).as("an unknown kid is rejected while the IdP is down").isEqualTo(401);
    var management = new io.vertx.core.json.JsonObject(java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
            "http://127.0.0.1:" + gateway.managementPort() + "/status")).build(),
        HttpResponse.BodyHandlers.ofString()).body());
    var keys = management.getJsonObject("auth").getJsonObject("issuers").getJsonObject("idp");
    assertThat(keys.getInteger("keyCount")).isGreaterThanOrEqualTo(5);
    assertThat(keys.getLong("ageSeconds")).isNotNull();
  }

  @Test
  void withNoKeysFetchedEveryTokenIsRejectedEvenUnsignedOnes() {
    // An issuer that never answered: fail closed.
    try (TestGateway dark = TestGateway.start("""
        listener: { port: 0 }
        management: { enabled: false }
        auth:
          issuers:
            - { name: dark, jwksUri: "http://127.0.0.1:${DEAD_PORT}/jwks.json", issuer: "https://dark.example" }
        services:
          app: { targets: [ "${APP_URL}" ] }
        routes:
          - { id: r, path: /api/**, service: app }
        """, Map.of("DEAD_PORT", String.valueOf(io.tollgate.testkit.net.FreePorts.next()),
            "APP_URL", upstream.baseUrl()))) {
      for (String token : new String[] {idp.token().algNone().iss("https://dark.example").sign(),
          idp.token().iss("https://dark.example").sign()}) {
        assertProblem(dark.send(dark.request("/api/x").header("Authorization", "Bearer " + token).GET().build()),
            401, "unauthorized");
      }
      assertThat(upstream.requestCount()).isZero();
    }
  }
}
