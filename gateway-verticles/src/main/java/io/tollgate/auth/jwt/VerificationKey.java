package io.tollgate.auth.jwt;

import java.security.Key;
import java.util.Set;

/**
 * One usable key of a {@link KeySet}: immutable and shared by every event loop.
 *
 * @param kid the JWK's {@code kid}, or null when it has none
 * @param key a {@link java.security.PublicKey} built once at parse time, or a {@link javax.crypto.SecretKey} for
 *     HS256
 * @param algorithms what this key may verify: algorithms that fit its type, are pinned for the issuer and match
 *     the JWK's own {@code alg} if it has one; never empty
 */
record VerificationKey(String kid, Key key, Set<JwsAlgorithm> algorithms) {

  /** Same key material, e.g. the same JWK in a refreshed JWKS (used to keep cached verifications valid). */
  boolean sameKeyAs(VerificationKey other) {
    return other == this || other != null && key.equals(other.key);
  }

  @Override
  public String toString() {
    // Never the key material: for HS256 that is the shared secret.
    return "VerificationKey[kid=" + Shown.quoted(kid) + ", " + key.getAlgorithm() + ", " + algorithms + "]";
  }
}
