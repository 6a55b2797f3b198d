package io.tollgate.config;

import java.util.List;

/**
 * API keys ({@code auth.apiKeys:}). Keys are stored only as hashes: {@code hmac-sha256:<hex>} (with the
 * {@code pepper}) or {@code sha256:<hex>}. Hash a new key with
 * {@code java -cp tollgate.jar io.tollgate.auth.apikey.ApiKeyHasher}.
 *
 * @param header header carrying the key; default {@code X-API-Key}
 * @param pepper server-side secret for {@code hmac-sha256:} hashes, or null; never logged or shown
 * @param keys   the keys; a consumer may hold several (rotation)
 * @param declared whether {@code auth.apiKeys} is configured at all: with a control plane it always is, so a route
 *                 may accept API keys before the first key is issued (every key request gets 401 until then)
 */
public record ApiKeysConfig(String header, String pepper, List<ApiKeyConfig> keys, boolean declared) {

  public static final String DEFAULT_HEADER = "X-API-Key";
  public static final ApiKeysConfig NONE = new ApiKeysConfig(DEFAULT_HEADER, null, List.of(), false);

  public ApiKeysConfig {
    keys = List.copyOf(keys);
  }

  /** Whether routes may accept API keys: keys exist, or the section is declared (managed keys come later). */
  public boolean usable() {
    return declared || !keys.isEmpty();
  }

  /** Never prints the pepper or hashes. */
  @Override
  public String toString() {
    return "ApiKeysConfig[header=" + header + ", pepper=" + (pepper == null ? "none" : "***") + ", keys="
        + keys.size() + "]";
  }

  /**
   * One key ({@code auth.apiKeys.keys[i]}).
   *
   * @param consumer the owning consumer id (also the rate-limit key); unique
   * @param hash     {@code hmac-sha256:<64 hex>} or {@code sha256:<64 hex>}
   * @param scopes   scopes granted to this key
   */
  public record ApiKeyConfig(String consumer, String hash, List<String> scopes) {

    public ApiKeyConfig {
      scopes = List.copyOf(scopes);
    }

    @Override
    public String toString() {
      return "ApiKeyConfig[consumer=" + consumer + ", scopes=" + scopes + "]";
    }
  }
}
