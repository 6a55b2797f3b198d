package io.tollgate.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One JWT issuer ({@code auth.issuers[i]}). Keys come from OIDC discovery, a JWKS URL, or (HS256 only, for
 * internal/dev use) a shared secret — exactly one of the three.
 *
 * @param name         referenced by routes ({@code auth.issuers: [name]}); unique
 * @param issuer       the exact {@code iss} value; required unless {@code discovery} provides it
 * @param discovery    OIDC discovery URL ({@code …/.well-known/openid-configuration}), or null
 * @param jwksUri      JWKS URL, or null
 * @param hs256Secret  HS256 secret (≥ 32 bytes), or null; never logged or shown
 * @param algorithms   pinned algorithms; default {@code [RS256]} ({@code [HS256]} with a secret); a token's
 *                     {@code alg} must be one of them
 * @param audiences    accepted {@code aud} values; empty = audience not checked
 * @param leeway       clock skew allowed for {@code exp}/{@code nbf}/{@code iat}; default {@code 30s}
 * @param minRefresh   JWKS refresh never more often than this; default {@code 30s}
 * @param maxRefresh   JWKS refreshed at least this often (also without {@code Cache-Control}); default {@code 10m}
 * @param scopesClaim  claim holding scopes (space-separated string or array; dotted path); default {@code scope}
 * @param rolesClaim   claim holding roles (dotted path such as {@code realm_access.roles}); default {@code roles}
 */
public record IssuerConfig(
    String name,
    String issuer,
    String discovery,
    String jwksUri,
    String hs256Secret,
    Set<String> algorithms,
    List<String> audiences,
    Duration leeway,
    Duration minRefresh,
    Duration maxRefresh,
    String scopesClaim,
    String rolesClaim) {

  public IssuerConfig {
    algorithms = Set.copyOf(algorithms);
    audiences = List.copyOf(audiences);
  }

  /** Never prints the secret. */
  @Override
  public String toString() {
    return "IssuerConfig[name=" + name + ", issuer=" + issuer + ", discovery=" + discovery + ", jwksUri=" + jwksUri
        + ", hs256Secret=" + (hs256Secret == null ? "none" : "***") + ", algorithms=" + algorithms
        + ", audiences=" + audiences + "]";
  }
}
