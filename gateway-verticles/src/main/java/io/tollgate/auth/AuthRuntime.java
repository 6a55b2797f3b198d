package io.tollgate.auth;

import io.tollgate.auth.jwt.JwtResult;
import io.tollgate.auth.jwt.JwtVerifier;
import io.tollgate.auth.jwt.KeySet;
import io.tollgate.auth.jwt.VerifiedTokenCache;
import io.tollgate.auth.keys.AuthKeys;
import io.tollgate.auth.keys.AuthKeysFeed;
import io.tollgate.auth.keys.IssuerKeys;
import io.tollgate.observability.Counters;
import io.tollgate.pipeline.AttributeKey;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The per-ingress-instance side of authentication: the key sets the instance last received from
 * {@code AuthKeysVerticle}, its cache of verified tokens, and the throttle on key-refresh requests. One per
 * ingress instance, confined to its event loop (so no locking); handed to policies through the request context.
 */
public final class AuthRuntime {

  public static final AttributeKey<AuthRuntime> KEY = AttributeKey.named("auth-runtime");

  /** A burst of tokens with unknown kids asks the keys verticle at most this often per issuer. */
  private static final long REFRESH_REQUEST_INTERVAL_NANOS = 5_000_000_000L;

  private final Vertx vertx;
  private final VerifiedTokenCache cache = new VerifiedTokenCache(new JwtVerifier());
  private final Map<String, Long> lastRefreshRequest = new HashMap<>();
  private AuthKeys keys = new AuthKeys(-1, Map.of());

  private final Counters counters;

  public AuthRuntime(Vertx vertx, Counters counters) {
    this.vertx = vertx;
    this.counters = counters;
  }

  /** Counts a rejection under {@code auth.rejected.<reason>} (or {@code auth.forbidden}). */
  void count(String name) {
    counters.increment(name);
  }

  /** Takes newer keys (called by the ingress instance when the keys verticle publishes). */
  public void keys(AuthKeys next) {
    if (next != null && next.version() > keys.version()) {
      keys = next;
    }
  }

  /** The current keys of {@code issuerName}; {@link KeySet#empty()} (reject everything) when there are none. */
  KeySet keySet(String issuerName) {
    IssuerKeys issuer = keys.issuers().get(issuerName);
    return issuer == null || issuer.keys() == null ? KeySet.empty() : issuer.keys();
  }

  JwtResult verify(String token, IssuerRule issuer) {
    return cache.verify(token, issuer.policy(), keySet(issuer.name()), Instant.now());
  }

  /** A token named a key the issuer's set lacks: ask for a refetch, at most every few seconds per issuer. */
  void unknownKey(String issuerName) {
    long now = System.nanoTime();
    Long last = lastRefreshRequest.get(issuerName);
    if (last == null || now - last >= REFRESH_REQUEST_INTERVAL_NANOS) {
      lastRefreshRequest.put(issuerName, now);
      AuthKeysFeed.requestRefresh(vertx, issuerName);
    }
  }
}
