package io.tollgate.config;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A route's access rule ({@code routes[i].auth:}). Either {@code auth: public}, or a mapping.
 *
 * <p>Secure by default: a route whose path starts with {@code /api/} and says nothing requires authentication
 * with any configured credential kind; other routes without {@code auth:} are public.
 *
 * @param isPublic     no credentials needed (client credentials are still never trusted for claim headers)
 * @param accept       credential kinds accepted; default: every kind that is configured
 * @param issuers      issuer names accepted for JWTs; default: all
 * @param audiences    accepted {@code aud} values for this route; empty = the issuer's
 * @param scopes       every one of these scopes is required (403 otherwise)
 * @param roles        every one of these roles is required (403 otherwise)
 * @param claimHeaders claim → request header forwarded upstream (e.g. {@code sub: X-User-Id}); any client-sent
 *                     header of those names is removed first. For API keys, {@code sub} is the consumer id.
 */
public record RouteAuthConfig(
    boolean isPublic,
    Set<CredentialKind> accept,
    List<String> issuers,
    List<String> audiences,
    List<String> scopes,
    List<String> roles,
    Map<String, String> claimHeaders) {

  public static final RouteAuthConfig PUBLIC =
      new RouteAuthConfig(true, Set.of(), List.of(), List.of(), List.of(), List.of(), Map.of());

  public RouteAuthConfig {
    accept = Set.copyOf(accept);
    issuers = List.copyOf(issuers);
    audiences = List.copyOf(audiences);
    scopes = List.copyOf(scopes);
    roles = List.copyOf(roles);
    claimHeaders = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(claimHeaders));
  }

  /** Authenticated with every configured kind, no scope or role requirement. */
  public static RouteAuthConfig authenticated() {
    return new RouteAuthConfig(false, Set.of(CredentialKind.values()), List.of(), List.of(), List.of(), List.of(),
        Map.of());
  }

  /** Kinds of credentials. */
  public enum CredentialKind {
    JWT, API_KEY
  }
}
