package io.tollgate.config;

import java.util.List;

/**
 * Who may call ({@code auth:} in YAML): token issuers and API keys. Routes pick from these with
 * {@link RouteAuthConfig}.
 *
 * @param issuers      JWT issuers, in declaration order; names unique
 * @param apiKeys      API-key settings and keys; never null
 * @param maxTokenSize longest bearer token accepted, in bytes; default {@code 8192}; longer → 401
 */
public record AuthConfig(List<IssuerConfig> issuers, ApiKeysConfig apiKeys, long maxTokenSize) {

  public static final long DEFAULT_MAX_TOKEN_SIZE = 8192;
  public static final AuthConfig NONE = new AuthConfig(List.of(), ApiKeysConfig.NONE, DEFAULT_MAX_TOKEN_SIZE);

  public AuthConfig {
    issuers = List.copyOf(issuers);
  }

  /** True when no credential of any kind can be verified (no issuer, no API key). */
  public boolean isEmpty() {
    return issuers.isEmpty() && apiKeys.keys().isEmpty();
  }
}
