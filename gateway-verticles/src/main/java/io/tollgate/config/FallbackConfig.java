package io.tollgate.config;

/**
 * What a route does instead of answering {@code 503 circuit-open} when every target's circuit is open
 * ({@code routes[i].fallback}): send the request to an alternate service, or answer a static response.
 *
 * @param service     the alternate service; null = the static response below
 * @param status      the static response's status; default {@code 200}; 200–599
 * @param body        its body, sent as is; default empty
 * @param contentType its {@code Content-Type}; default {@code text/plain; charset=utf-8}
 */
public record FallbackConfig(String service, int status, String body, String contentType) {

  /** A static response. */
  public FallbackConfig(int status, String body, String contentType) {
    this(null, status, body, contentType);
  }

  public static final String DEFAULT_CONTENT_TYPE = "text/plain; charset=utf-8";
}
