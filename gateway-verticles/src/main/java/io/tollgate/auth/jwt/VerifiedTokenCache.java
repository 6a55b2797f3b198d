package io.tollgate.auth.jwt;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Remembers tokens whose signature verified, so a client that sends the same token again does not pay for
 * another RSA/ECDSA/EdDSA verification (tens of microseconds) — only for a map lookup and the claim checks.
 *
 * <p><b>Threading:</b> not thread-safe and never locks. Give each event loop its own instance (N event loops
 * may then each verify a token once); never share one across threads.
 *
 * <p><b>What a hit still checks:</b> everything except the signature. The asking route's {@link IssuerPolicy}
 * (pinned algorithms, {@code exp}/{@code nbf}/{@code iat} at {@code now}, {@code iss}, {@code aud}) is applied
 * on every hit, and the key that verified the token must still be in the current {@link KeySet} (same
 * {@code kid}, same key material) — so a retired key stops its cached tokens at the next JWKS refresh, while a
 * refresh that changes nothing keeps the cache warm.
 *
 * <p><b>Bounds:</b> keyed by the token string (at most {@link IssuerPolicy#maxTokenBytes()} chars; the map holds
 * the token and its claims, roughly 1–3 KB per entry). An entry lives until {@code min(exp, added + ttl)} — so
 * nothing is served from the cache once its {@code exp} has passed (after that, leeway applies through a full
 * verification) — and at most {@code capacity} entries are kept, the least recently used evicted first.
 * Only successful verifications are stored: invalid tokens cannot fill it.
 */
public final class VerifiedTokenCache {

  public static final int DEFAULT_CAPACITY = 10_000;
  public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

  private final JwtVerifier verifier;
  private final Duration ttl;
  private final Map<String, Entry> entries;
  private long hits;
  private long misses;
  private long evictions;

  /** Capacity {@value #DEFAULT_CAPACITY} tokens, TTL 5 minutes. */
  public VerifiedTokenCache(JwtVerifier verifier) {
    this(verifier, DEFAULT_CAPACITY, DEFAULT_TTL);
  }

  /**
   * @param capacity most tokens kept, at least 1
   * @param ttl longest time a token is served from the cache without its signature being checked again, positive
   */
  public VerifiedTokenCache(JwtVerifier verifier, int capacity, Duration ttl) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    this.ttl = ttl;
    // Access order: a get moves the entry to the tail, so the head is the least recently used one.
    this.entries = new LinkedHashMap<>(Math.min(capacity, 1 << 16) * 4 / 3 + 1, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        if (size() > capacity) {
          evictions++;
          return true;
        }
        return false;
      }
    };
  }

  /** As {@link JwtVerifier#verify}, answered from the cache when possible; same results, same thread rules. */
  public JwtResult verify(String token, IssuerPolicy policy, KeySet keys, Instant now) {
    // The size cap is checked before the lookup too, so an oversized token is not even hashed.
    if (token != null && token.length() <= policy.maxTokenBytes()) {
      Entry entry = entries.get(token);
      if (entry != null) {
        if (now.isBefore(entry.expiresAt) && entry.stillTrusted(keys)) {
          hits++;
          return verifier.checkClaims(entry.jwt, policy, now);
        }
        entries.remove(token);
      }
    }
    misses++;
    JwtResult result = verifier.verify(token, policy, keys, now);
    if (result instanceof JwtResult.Valid valid) {
      Instant byTtl = now.plus(ttl);
      Instant expiresAt = valid.jwt().expiresAt().isBefore(byTtl) ? valid.jwt().expiresAt() : byTtl;
      if (now.isBefore(expiresAt)) {
        entries.put(token, new Entry(valid.jwt(), keys, expiresAt));
      }
    }
    return result;
  }

  /** Tokens held now, expired ones not yet removed included. */
  public int size() {
    return entries.size();
  }

  /** Verifications answered from the cache. */
  public long hits() {
    return hits;
  }

  /** Verifications that needed a signature check (first sight, expired, evicted, or keys changed). */
  public long misses() {
    return misses;
  }

  /** Entries dropped because the cache was full. */
  public long evictions() {
    return evictions;
  }

  public void clear() {
    entries.clear();
  }

  private static final class Entry {

    final VerifiedJwt jwt;
    final Instant expiresAt;
    /** The key set last seen to contain the verifying key; compared by identity first (the common case). */
    KeySet keys;

    Entry(VerifiedJwt jwt, KeySet keys, Instant expiresAt) {
      this.jwt = jwt;
      this.keys = keys;
      this.expiresAt = expiresAt;
    }

    boolean stillTrusted(KeySet current) {
      if (current == keys) {
        return true;
      }
      if (jwt.verifiedBy().sameKeyAs(current.select(jwt.keyId(), jwt.algorithm()))) {
        keys = current;
        return true;
      }
      return false;
    }
  }
}
