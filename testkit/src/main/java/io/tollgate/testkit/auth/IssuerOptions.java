package io.tollgate.testkit.auth;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link TokenIssuer} starts.
 *
 * @param jwksMaxAge {@code Cache-Control: max-age} on {@code /jwks.json}, whole seconds; default 300 s;
 *     changeable later with {@link TokenIssuer#jwksMaxAge(Duration)}
 * @param tokenLifetime {@code exp - iat} of minted tokens unless a test sets {@code exp}; default 5 min
 * @param audience the {@code aud} claim of minted tokens unless a test sets one; default none ({@code null})
 * @param signingAlgorithm the algorithm tokens are signed with unless a test picks another; default RS256
 */
public record IssuerOptions(Duration jwksMaxAge, Duration tokenLifetime, String audience,
    JwsAlgorithm signingAlgorithm) {

  public IssuerOptions {
    Objects.requireNonNull(jwksMaxAge, "jwksMaxAge");
    Objects.requireNonNull(tokenLifetime, "tokenLifetime");
    Objects.requireNonNull(signingAlgorithm, "signingAlgorithm");
    if (jwksMaxAge.isNegative()) {
      throw new IllegalArgumentException("jwksMaxAge must not be negative: " + jwksMaxAge);
    }
  }

  /** JWKS max-age 300 s, tokens valid 5 min, no audience, RS256. */
  public static IssuerOptions defaults() {
    return new IssuerOptions(Duration.ofMinutes(5), Duration.ofMinutes(5), null, JwsAlgorithm.RS256);
  }

  public IssuerOptions withJwksMaxAge(Duration maxAge) {
    return new IssuerOptions(maxAge, tokenLifetime, audience, signingAlgorithm);
  }

  public IssuerOptions withTokenLifetime(Duration lifetime) {
    return new IssuerOptions(jwksMaxAge, lifetime, audience, signingAlgorithm);
  }

  public IssuerOptions withAudience(String defaultAudience) {
    return new IssuerOptions(jwksMaxAge, tokenLifetime, defaultAudience, signingAlgorithm);
  }

  public IssuerOptions withSigningAlgorithm(JwsAlgorithm algorithm) {
    return new IssuerOptions(jwksMaxAge, tokenLifetime, audience, algorithm);
  }
}
