package io.tollgate.auth.keys;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Every issuer's verification keys at one moment, as {@link AuthKeysVerticle} publishes them: immutable, shared by
 * every ingress instance on every event loop, replaced as a whole (never mutated) when a newer version arrives.
 *
 * @param version grows by one with every publication (new keys or a failed attempt); ingress instances ignore
 *                snapshots not newer than theirs
 * @param issuers by issuer name ({@link IssuerSource#name()}), in name order
 */
public record AuthKeys(long version, Map<String, IssuerKeys> issuers) {

  public AuthKeys {
    issuers = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(issuers));
  }

  /** The keys of the issuer configured as {@code name}; empty for a name that is not configured. */
  public Optional<IssuerKeys> issuer(String name) {
    return Optional.ofNullable(issuers.get(name));
  }

  AuthKeys without(String name) {
    Map<String, IssuerKeys> next = new TreeMap<>(issuers);
    next.remove(name);
    return new AuthKeys(version + 1, next);
  }

  AuthKeys with(String name, IssuerKeys keys) {
    Map<String, IssuerKeys> next = new TreeMap<>(issuers);
    next.put(name, keys);
    return new AuthKeys(version + 1, next);
  }

  /**
   * The {@code auth} section of {@code /api/gateway/status}: per issuer, the key count and kids, how old the keys
   * are ({@code ageSeconds}, null while there are none — that is the staleness to alert on), and the last error.
   *
   * <pre>{@code
   * {"version": 7, "issuers": {"corp": {"issuer": "https://idp", "keyCount": 2, "kids": ["a", "b"],
   *   "ageSeconds": 312, "fetchedAt": "…", "lastAttempt": "…", "lastError": "HTTP 503 from https://idp/jwks"}}}
   * }</pre>
   */
  public JsonObject status(Instant now) {
    JsonObject byName = new JsonObject();
    issuers.forEach((name, keys) -> {
      Duration age = keys.age(now);
      byName.put(name, new JsonObject()
          .put("issuer", keys.issuer())
          .put("keyCount", keys.kids().size())
          .put("kids", new JsonArray(java.util.List.copyOf(keys.kids())))
          .put("ageSeconds", age == null ? null : age.toSeconds())
          .put("fetchedAt", keys.fetchedAt() == null ? null : keys.fetchedAt().toString())
          .put("lastAttempt", keys.lastAttempt() == null ? null : keys.lastAttempt().toString())
          .put("lastError", keys.lastError())
          .put("version", keys.version()));
    });
    return new JsonObject().put("version", version).put("issuers", byName);
  }
}
