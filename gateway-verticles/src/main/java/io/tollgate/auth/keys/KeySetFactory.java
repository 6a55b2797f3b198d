package io.tollgate.auth.keys;

import io.tollgate.auth.jwt.JwsAlgorithm;
import io.tollgate.auth.jwt.KeySet;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * How {@link AuthKeysVerticle} makes and describes {@link KeySet}s. Package-private seam: production always uses
 * {@link #JWT} ({@code KeySet}'s own factories); {@code AuthKeysVerticleIT} substitutes a recording fake so the
 * fetch/refresh behaviour is tested independently of JWK parsing and crypto.
 *
 * <p>Called on the verticle's event loop; implementations must not block. {@link #fromJwks} may throw (a document
 * that is not a JWKS at all); the verticle then keeps the previous keys and reports the message as the last error.
 */
interface KeySetFactory {

  KeySetFactory JWT = new KeySetFactory() {
    @Override
    public KeySet fromJwks(JsonObject jwks, Set<JwsAlgorithm> algorithms, Instant fetchedAt) {
      return KeySet.fromJwks(jwks, algorithms, fetchedAt);
    }

    @Override
    public KeySet hmac(byte[] secret, Instant loadedAt) {
      return KeySet.hmac(secret, loadedAt);
    }

    @Override
    public KeySet empty() {
      return KeySet.empty();
    }

    @Override
    public Set<String> kids(KeySet keys) {
      return keys.kids();
    }

    @Override
    public List<String> problems(KeySet keys) {
      return keys.problems();
    }
  };

  /** {@link KeySet#fromJwks}. */
  KeySet fromJwks(JsonObject jwks, Set<JwsAlgorithm> algorithms, Instant fetchedAt);

  /** {@link KeySet#hmac}. */
  KeySet hmac(byte[] secret, Instant loadedAt);

  /** {@link KeySet#empty}: what an issuer has until its first successful fetch (fail closed). */
  KeySet empty();

  /** {@link KeySet#kids}, captured into {@link IssuerKeys} so status pages need nothing else. */
  Set<String> kids(KeySet keys);

  /** {@link KeySet#problems}: keys dropped while parsing, logged when the set of kids changes. */
  List<String> problems(KeySet keys);
}
