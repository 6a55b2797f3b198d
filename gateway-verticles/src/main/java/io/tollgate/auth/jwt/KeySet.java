package io.tollgate.auth.jwt;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The verification keys of one issuer at one moment: immutable, shared by every event loop, replaced as a
 * whole when the JWKS is refreshed. (Implementation in progress: see the auth issue.)
 */
public final class KeySet {

  private KeySet() {
  }

  /**
   * Parses a JWKS document (RFC 7517). Keys whose {@code kty}/{@code crv}/{@code alg} do not fit any of the
   * issuer's pinned {@code algorithms} are dropped; malformed keys are dropped (reported in {@link #problems()}).
   */
  public static KeySet fromJwks(JsonObject jwks, java.util.Set<JwsAlgorithm> algorithms, Instant fetchedAt) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** An HS256 key set from a shared secret (internal/dev use; at least 32 bytes). */
  public static KeySet hmac(byte[] secret, Instant loadedAt) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** An empty key set (nothing fetched yet): every token is rejected (fail closed). */
  public static KeySet empty() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  public boolean isEmpty() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** When the keys were fetched / loaded. */
  public Instant fetchedAt() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** Key ids present, for status pages. */
  public java.util.Set<String> kids() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  /** Human-readable problems met while parsing (dropped keys), for logs. */
  public java.util.List<String> problems() {
    throw new UnsupportedOperationException("not yet implemented");
  }
}
