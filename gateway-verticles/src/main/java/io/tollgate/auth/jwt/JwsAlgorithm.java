package io.tollgate.auth.jwt;

/**
 * Signature algorithms the gateway verifies (RFC 7518 names). Which ones an issuer may use is pinned in config;
 * the token's {@code alg} header only selects among those, never widens them. {@code none} does not exist here.
 */
public enum JwsAlgorithm {
  RS256, PS256, ES256, EdDSA, HS256;

  /** The algorithm for an exact JOSE name, or null (so {@code "none"}, {@code "NONE"}, {@code "rs256"} → null). */
  public static JwsAlgorithm fromJose(String name) {
    if (name == null) {
      return null;
    }
    for (JwsAlgorithm a : values()) {
      if (a.name().equals(name)) {
        return a;
      }
    }
    return null;
  }
}
