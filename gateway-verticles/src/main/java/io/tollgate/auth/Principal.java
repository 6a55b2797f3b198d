package io.tollgate.auth;

import io.tollgate.auth.jwt.VerifiedJwt;
import io.tollgate.pipeline.AttributeKey;
import java.util.Set;

/**
 * Who is calling, once {@link AuthenticationPolicy} has verified it. Stored in the request context for later
 * policies (authorization, ownership, rate limits).
 *
 * @param kind     how the caller authenticated
 * @param subject  JWT {@code sub}, or the API key's consumer id
 * @param issuer   the configured issuer name (JWT), or null (API key)
 * @param scopes   granted scopes
 * @param roles    granted roles (JWT only; empty for API keys)
 * @param jwt      the verified token, or null for API keys
 */
public record Principal(Kind kind, String subject, String issuer, Set<String> scopes, Set<String> roles,
    VerifiedJwt jwt) {

  public static final AttributeKey<Principal> KEY = AttributeKey.named("principal");

  public Principal {
    scopes = Set.copyOf(scopes);
    roles = Set.copyOf(roles);
  }

  /** A claim for {@code claimHeaders}: any (dotted) claim of a JWT; for API keys only {@code sub}. */
  public String claim(String path) {
    if (jwt != null) {
      return jwt.string(path);
    }
    return "sub".equals(path) ? subject : null;
  }

  /** Credential kinds. */
  public enum Kind {
    JWT, API_KEY
  }
}
