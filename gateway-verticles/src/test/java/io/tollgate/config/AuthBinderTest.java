package io.tollgate.config;

import static io.tollgate.config.TestConfigs.errors;
import static io.tollgate.config.TestConfigs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.RouteAuthConfig.CredentialKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthBinderTest {

  private static final String SECRET = "0123456789abcdef0123456789abcdef";
  private static final String HASH = "sha256:" + "a".repeat(64);
  private static final String AUTH = """
      auth:
        issuers:
          - name: main
            discovery: https://idp.example.com/.well-known/openid-configuration
            algorithms: [RS256, ES256]
            audiences: [api://tollgate]
            rolesClaim: realm_access.roles
          - name: internal
            issuer: tollgate-internal
            hs256Secret: %s
        apiKeys:
          keys:
            - consumer: partner-a
              hash: %s
              scopes: [orders:read]
      """.formatted(SECRET, HASH);

  @Test
  void aPlainSha256KeyCannotBeCheckedOnceAPepperIsSet() {
    assertThat(errors("""
        auth:
          apiKeys:
            pepper: %s
            keys:
              - { consumer: partner-a, hash: %s }
        """.formatted(SECRET, HASH))).containsExactly("auth.apiKeys.keys[0].hash: a sha256 hash cannot be used while"
        + " apiKeys.pepper is set (hash keys as hmac-sha256)");
  }

  @Test
  void bindsIssuersKeysAndDefaults() throws ConfigException {
    AuthConfig auth = parse(AUTH).auth();
    IssuerConfig main = auth.issuers().get(0);
    assertThat(main.algorithms()).containsExactlyInAnyOrder("RS256", "ES256");
    assertThat(main.leeway()).isEqualTo(Duration.ofSeconds(30));
    assertThat(main.scopesClaim()).isEqualTo("scope");
    assertThat(main.rolesClaim()).isEqualTo("realm_access.roles");
    assertThat(auth.issuers().get(1).algorithms()).containsExactly("HS256");
    assertThat(auth.apiKeys().header()).isEqualTo("X-API-Key");
    assertThat(auth.apiKeys().keys().get(0).scopes()).containsExactly("orders:read");
    assertThat(auth.maxTokenSize()).isEqualTo(8192);
  }

  @Test
  void secretsNeverAppearInToString() throws ConfigException {
    AuthConfig auth = parse(AUTH + "  \n").auth();
    assertThat(auth.toString()).doesNotContain(SECRET).doesNotContain("a".repeat(64));
  }

  @Test
  void apiRoutesAreAuthenticatedByDefaultOthersPublic() throws ConfigException {
    GatewayConfig config = parse(AUTH + TestConfigs.SERVICES + """
        routes:
          - { id: api, path: /api/orders/**, service: service1 }
          - { id: site, path: /site/**, service: service1 }
          - { id: open, path: /api/health, service: service1, auth: public }
          - id: strict
            path: /api/admin/**
            service: service1
            auth: { accept: [jwt], issuers: [main], scopes: [admin:write], roles: [ops], claimHeaders: { sub: X-User-Id } }
        """);
    assertThat(config.routes().get(0).auth().isPublic()).isFalse();
    assertThat(config.routes().get(0).auth().accept()).containsExactlyInAnyOrder(CredentialKind.values());
    assertThat(config.routes().get(1).auth().isPublic()).isTrue();
    assertThat(config.routes().get(2).auth()).isEqualTo(RouteAuthConfig.PUBLIC);
    RouteAuthConfig strict = config.routes().get(3).auth();
    assertThat(strict.accept()).containsExactly(CredentialKind.JWT);
    assertThat(strict.issuers()).containsExactly("main");
    assertThat(strict.scopes()).containsExactly("admin:write");
    assertThat(strict.roles()).containsExactly("ops");
    assertThat(strict.claimHeaders()).isEqualTo(Map.of("sub", "X-User-Id"));
  }

  @Test
  void anApiRouteWithNothingToAuthenticateWithIsRefusedWithAHint() {
    assertThat(errors(TestConfigs.SERVICES + "routes:\n  - { id: api, path: /api/x, service: service1 }\n"))
        .containsExactly("routes[0].auth: requires authentication (the default for routes under /api/) but no"
            + " accepted credential kind is configured in auth: (issuers / apiKeys); configure one, or declare"
            + " `auth: public` for /api/x");
  }

  @Test
  void reportsEveryMistakeWithItsPath() {
    List<String> errors = errors("""
        auth:
          issuers:
            - name: a
              jwksUri: ftp://keys
            - name: a
              issuer: x
              hs256Secret: short
              algorithms: [RS256, none]
            - name: b
              issuer: y
          apiKeys:
            keys:
              - { consumer: p, hash: plaintext-key }
              - { consumer: q, hash: hmac-sha256:%s }
        """.formatted("b".repeat(64)) + TestConfigs.SERVICES + """
        routes:
          - { id: r, path: /x, service: service1, auth: { accept: [jwt, cookie], issuers: [nope] } }
          - { id: s, path: /y, service: service1, auth: private }
        """);
    assertThat(errors).contains(
        "auth.issuers[0].jwksUri: bad URL 'ftp://keys': must be an absolute http:// or https:// URL",
        "auth.issuers[0].issuer: is required (unless discovery provides it)",
        "auth.issuers[1]: duplicate issuer name 'a' (first at auth.issuers[0])",
        "auth.issuers[1].hs256Secret: must be at least 32 bytes",
        "auth.issuers[1].algorithms[0]: an hs256Secret issuer verifies HS256 only",
        "auth.issuers[1].algorithms[1]: unsupported algorithm 'none' (expected one of: RS256, PS256, ES256, EdDSA, HS256)",
        "auth.issuers[2].jwksUri: one of discovery, jwksUri or hs256Secret is required",
        "auth.apiKeys.keys[0].hash: must be hmac-sha256:<64 hex digits> or sha256:<64 hex digits> (never the key itself)",
        "auth.apiKeys.keys[1].hash: an hmac-sha256 hash needs apiKeys.pepper",
        "routes[0].auth.accept[1]: unknown credential kind 'cookie' (expected jwt or api-key)",
        "routes[0].auth.issuers[0]: unknown issuer 'nope' (declared: a, b)",
        "routes[1].auth: expected 'public' or a mapping (accept, issuers, audiences, scopes, roles, claimHeaders)");
  }

  @Test
  void claimHeadersCannotTargetProxyManagedHeaders() {
    assertThat(errors(AUTH + TestConfigs.SERVICES + """
        routes:
          - { id: r, path: /api/x, service: service1, auth: { claimHeaders: { sub: Host, tenant: X-Tenant } } }
        """)).containsExactly("routes[0].auth.claimHeaders.sub: cannot map a claim to Host: the proxy manages that header");
  }

  @Test
  void issuerAlgorithmsDefaultByKeySource() throws ConfigException {
    AuthConfig auth = parse(AUTH).auth();
    assertThat(auth.issuers()).extracting(IssuerConfig::algorithms)
        .containsExactly(Set.of("RS256", "ES256"), Set.of("HS256"));
  }
}
