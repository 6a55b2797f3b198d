package io.tollgate.auth.apikey;

import java.util.Objects;
import java.util.Set;

/**
 * One API key as config (or, later, Postgres) holds it: never the key itself.
 *
 * @param consumerId who the key belongs to; also the rate-limit key of its requests
 * @param hash       {@code hmac-sha256:<hex>} or {@code sha256:<hex>}, as {@link ApiKeyHasher#hash} makes it;
 *                   left out of {@link #toString()}
 * @param scopes     what the key may do; empty for none
 */
public record StoredApiKey(String consumerId, String hash, Set<String> scopes) {

  public StoredApiKey {
    Objects.requireNonNull(consumerId, "consumerId");
    Objects.requireNonNull(hash, "hash");
    scopes = scopes == null ? Set.of() : Set.copyOf(scopes);
  }

  @Override
  public String toString() {
    return "StoredApiKey[consumerId=" + consumerId + ", scopes=" + scopes + "]";
  }
}
