package io.tollgate.config;

/**
 * What a route answers instead of {@code 503 circuit-open} when every target's circuit is open
 * ({@code routes[i].fallback}): a static response.
 *
 * @param status      the status; default {@code 200}; 200–599
 * @param body        the body, sent as is; default empty
 * @param contentType its {@code Content-Type}; default {@code text/plain; charset=utf-8}
 */
public record FallbackConfig(int status, String body, String contentType) {

  public static final String DEFAULT_CONTENT_TYPE = "text/plain; charset=utf-8";
}
