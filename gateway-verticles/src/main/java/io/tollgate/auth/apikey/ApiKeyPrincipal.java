package io.tollgate.auth.apikey;

import java.util.Objects;
import java.util.Set;

/**
 * Who presented a valid API key.
 *
 * @param consumerId the key's owner; the rate-limit key of the request
 * @param scopes     the key's scopes, immutable
 */
public record ApiKeyPrincipal(String consumerId, Set<String> scopes) {

  public ApiKeyPrincipal {
    Objects.requireNonNull(consumerId, "consumerId");
    scopes = Set.copyOf(scopes);
  }
}
