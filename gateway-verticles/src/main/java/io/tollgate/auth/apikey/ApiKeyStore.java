package io.tollgate.auth.apikey;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The valid API keys, by hash: immutable, shared by every event loop, rebuilt as a whole when config changes.
 *
 * <p>Constant time: {@link #lookup} hashes the presented key once and uses the digest as the index, so how long it
 * takes does not depend on how many leading characters of a real key an attacker guessed — a guess that shares a
 * prefix with a real key has an unrelated digest. The candidate found is confirmed with
 * {@link MessageDigest#isEqual}. Keys are never held in plaintext; {@link #toString()} prints neither hashes nor
 * keys.
 *
 * <p>One scheme per store: every stored hash must carry the hasher's prefix ({@code hmac-sha256:} with a pepper,
 * {@code sha256:} without), so a lookup costs exactly one hash.
 */
public final class ApiKeyStore {

  private static final HexFormat HEX = HexFormat.of();
  private static final int DIGEST_BYTES = 32;

  private final ApiKeyHasher hasher;
  private final Map<Digest, ApiKeyPrincipal> byDigest;

  private ApiKeyStore(ApiKeyHasher hasher, Map<Digest, ApiKeyPrincipal> byDigest) {
    this.hasher = hasher;
    this.byDigest = byDigest;
  }

  /**
   * @throws IllegalArgumentException when a hash is malformed, has another scheme than {@code hasher}'s, or appears
   *     twice (two consumers cannot share a key); the message names the consumer, never the hash
   */
  public static ApiKeyStore of(ApiKeyHasher hasher, List<StoredApiKey> keys) {
    Map<Digest, ApiKeyPrincipal> byDigest = new HashMap<>();
    String prefix = hasher.scheme() + ":";
    for (StoredApiKey key : keys) {
      if (!key.hash().startsWith(prefix)) {
        throw new IllegalArgumentException("API key of consumer " + key.consumerId() + ": hash must start with "
            + prefix + " (the store hashes with " + hasher.scheme() + ")");
      }
      Digest digest = new Digest(parseHex(key.hash().substring(prefix.length()), key.consumerId()));
      ApiKeyPrincipal previous = byDigest.put(digest, new ApiKeyPrincipal(key.consumerId(), key.scopes()));
      if (previous != null) {
        throw new IllegalArgumentException("API key of consumer " + key.consumerId()
            + " is also the key of consumer " + previous.consumerId());
      }
    }
    return new ApiKeyStore(hasher, Map.copyOf(byDigest));
  }

  /** No keys: every lookup fails. */
  public static ApiKeyStore empty(ApiKeyHasher hasher) {
    return new ApiKeyStore(hasher, Map.of());
  }

  /** Who owns {@code presentedKey}; empty for null, empty or unknown keys. Thread-safe. */
  public Optional<ApiKeyPrincipal> lookup(String presentedKey) {
    if (presentedKey == null || presentedKey.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(byDigest.get(new Digest(hasher.digest(presentedKey))));
  }

  public int size() {
    return byDigest.size();
  }

  @Override
  public String toString() {
    return "ApiKeyStore[" + byDigest.size() + " key(s), " + hasher.scheme() + "]";
  }

  private static byte[] parseHex(String hex, String consumerId) {
    if (hex.length() != DIGEST_BYTES * 2) {
      throw new IllegalArgumentException("API key of consumer " + consumerId + ": hash must have "
          + DIGEST_BYTES * 2 + " hex digits");
    }
    try {
      return HEX.parseHex(hex.toLowerCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("API key of consumer " + consumerId + ": hash is not hexadecimal");
    }
  }

  /** A digest as a map key: the map's bucket choice uses the hash code, the final match {@code isEqual}. */
  private record Digest(byte[] bytes) {

    @Override
    public boolean equals(Object o) {
      return o instanceof Digest other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "Digest[redacted]";
    }
  }
}
