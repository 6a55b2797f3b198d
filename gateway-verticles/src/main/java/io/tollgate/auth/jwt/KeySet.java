package io.tollgate.auth.jwt;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * The verification keys of one issuer at one moment: immutable, shared by every event loop, replaced as a
 * whole when the JWKS is refreshed. Public keys are built once here, never per request.
 *
 * <p>Key selection ({@link #select}) is by exact {@code kid} only, never "try every key": a token with a
 * {@code kid} gets the key with that {@code kid} that may verify the token's algorithm; a token without one gets
 * the single key that may verify its algorithm, and nothing when there are several (RFC 7515 §4.1.4). Keys
 * without a {@code kid} are kept and reachable only that way.
 */
public final class KeySet {

  /** HS256 secrets: at least the hash output size (RFC 7518 §3.2). */
  public static final int MIN_HMAC_SECRET_BYTES = 32;

  private static final KeySet EMPTY = new KeySet(List.of(), List.of(), Instant.EPOCH);

  private final List<VerificationKey> keys;
  private final Map<String, List<VerificationKey>> byKid = new HashMap<>();
  private final Map<JwsAlgorithm, List<VerificationKey>> byAlgorithm = new EnumMap<>(JwsAlgorithm.class);
  private final List<String> problems;
  private final Instant fetchedAt;

  private KeySet(List<VerificationKey> keys, List<String> problems, Instant fetchedAt) {
    this.keys = List.copyOf(keys);
    this.problems = List.copyOf(problems);
    this.fetchedAt = Objects.requireNonNull(fetchedAt, "fetchedAt");
    for (VerificationKey key : this.keys) {
      if (key.kid() != null) {
        byKid.computeIfAbsent(key.kid(), k -> new ArrayList<>(1)).add(key);
      }
      for (JwsAlgorithm algorithm : key.algorithms()) {
        byAlgorithm.computeIfAbsent(algorithm, a -> new ArrayList<>(1)).add(key);
      }
    }
  }

  /**
   * Parses a JWKS document (RFC 7517). Keys whose {@code kty}/{@code crv}/{@code alg} do not fit any of the
   * issuer's pinned {@code algorithms} are dropped; malformed keys are dropped (reported in {@link #problems()}).
   * Also dropped: {@code use} other than {@code sig}, {@code key_ops} without {@code verify}, symmetric
   * ({@code oct}) keys, RSA moduli under 2048 bits, EC points off P-256, and a second key with the same
   * {@code kid} for the same algorithm (the first one listed wins). Certificate members ({@code x5c},
   * {@code x5t}, {@code x5u}) are ignored: the key is what {@code n}/{@code e}, {@code x}/{@code y} or {@code x}
   * say. Never throws for bad content; a document without a {@code keys} array gives an empty set (every token
   * rejected) with a problem saying so. Runs on the control plane: building RSA and EC keys takes a few
   * hundred microseconds each.
   */
  public static KeySet fromJwks(JsonObject jwks, Set<JwsAlgorithm> algorithms, Instant fetchedAt) {
    Objects.requireNonNull(algorithms, "algorithms");
    Set<JwsAlgorithm> pinned = algorithms.isEmpty() ? Set.of() : EnumSet.copyOf(algorithms);
    List<VerificationKey> keys = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Object array = jwks == null ? null : jwks.getValue("keys");
    if (!(array instanceof JsonArray entries)) {
      return new KeySet(List.of(), List.of("the JWKS has no \"keys\" array"), fetchedAt);
    }
    for (int i = 0; i < entries.size(); i++) {
      if (!(entries.getValue(i) instanceof JsonObject jwk)) {
        problems.add("keys[" + i + "]: not a JSON object");
        continue;
      }
      try {
        VerificationKey key = JwkParser.parse(jwk, pinned);
        String clash = clash(keys, key);
        if (clash != null) {
          problems.add("keys[" + i + "] (kid " + Shown.quoted(key.kid()) + "): dropped, an earlier key has the same"
              + " kid for " + clash);
        } else {
          keys.add(key);
        }
      } catch (IllegalArgumentException e) {
        problems.add("keys[" + i + "] (kid " + Shown.quoted(jwk.getValue("kid")) + "): dropped, " + e.getMessage());
      }
    }
    return new KeySet(keys, problems, fetchedAt);
  }

  /** An HS256 key set from a shared secret (internal/dev use; at least 32 bytes). */
  public static KeySet hmac(byte[] secret, Instant loadedAt) {
    return hmac(null, secret, loadedAt);
  }

  /**
   * An HS256 key set with one secret of at least {@value #MIN_HMAC_SECRET_BYTES} bytes, selected by {@code kid}
   * when not null (tokens must then carry it) or, when null, used for tokens without a {@code kid}.
   *
   * @throws IllegalArgumentException when the secret is shorter (a configuration error, reported at load)
   */
  public static KeySet hmac(String kid, byte[] secret, Instant loadedAt) {
    if (secret == null || secret.length < MIN_HMAC_SECRET_BYTES) {
      throw new IllegalArgumentException("an HS256 secret needs at least " + MIN_HMAC_SECRET_BYTES + " bytes");
    }
    // SecretKeySpec copies the secret, so later changes to the caller's array do not reach it.
    VerificationKey key = new VerificationKey(kid, new SecretKeySpec(secret, "HmacSHA256"),
        Set.of(JwsAlgorithm.HS256));
    return new KeySet(List.of(key), List.of(), loadedAt);
  }

  /** An empty key set (nothing fetched yet): every token is rejected (fail closed). */
  public static KeySet empty() {
    return EMPTY;
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  /** Number of usable keys. */
  public int size() {
    return keys.size();
  }

  /** When the keys were fetched / loaded; {@link Instant#EPOCH} for {@link #empty()}. */
  public Instant fetchedAt() {
    return fetchedAt;
  }

  /** Key ids present, for status pages. */
  public Set<String> kids() {
    return Set.copyOf(byKid.keySet());
  }

  /** Human-readable problems met while parsing (dropped keys), for logs. */
  public List<String> problems() {
    return problems;
  }

  /**
   * The key for a token's {@code kid} (null when it has none) and {@code alg}, or null. {@code kid} is only ever
   * a map key: no path, URL or file is derived from it.
   */
  VerificationKey select(String kid, JwsAlgorithm algorithm) {
    if (kid == null) {
      List<VerificationKey> candidates = byAlgorithm.get(algorithm);
      return candidates != null && candidates.size() == 1 ? candidates.get(0) : null;
    }
    List<VerificationKey> named = byKid.get(kid);
    if (named != null) {
      for (VerificationKey key : named) {
        if (key.algorithms().contains(algorithm)) {
          return key;
        }
      }
    }
    return null;
  }

  /** How many keys may verify {@code algorithm}, for error details. */
  int candidates(JwsAlgorithm algorithm) {
    List<VerificationKey> candidates = byAlgorithm.get(algorithm);
    return candidates == null ? 0 : candidates.size();
  }

  @Override
  public String toString() {
    Set<String> described = new LinkedHashSet<>();
    keys.forEach(key -> described.add(Shown.quoted(key.kid()) + "=" + key.algorithms()));
    return "KeySet[" + described + ", fetchedAt=" + fetchedAt + ", problems=" + problems.size() + "]";
  }

  /** The algorithm for which an earlier key has the same (non-null) kid, or null. */
  private static String clash(List<VerificationKey> earlier, VerificationKey key) {
    if (key.kid() == null) {
      return null;
    }
    for (VerificationKey other : earlier) {
      if (key.kid().equals(other.kid())) {
        for (JwsAlgorithm algorithm : key.algorithms()) {
          if (other.algorithms().contains(algorithm)) {
            return algorithm.name();
          }
        }
      }
    }
    return null;
  }
}
