package io.tollgate.config;

import java.time.Duration;

/**
 * Upstream timeouts ({@code timeouts:} on a service or a route). In a route, a {@code null} field inherits
 * from the service; in a service, a {@code null} field takes the default.
 *
 * @param connect  time to establish the TCP (and TLS) connection; default {@code 2s}; on expiry 504
 * @param response time from sending the request until the upstream's response headers arrive; default
 *                 {@code 30s}; on expiry 504. It does not limit how long a response body may stream.
 */
public record TimeoutsConfig(Duration connect, Duration response) {

  public static final Duration DEFAULT_CONNECT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_RESPONSE = Duration.ofSeconds(30);

  /** The defaults, what a service without {@code timeouts:} gets. */
  public static final TimeoutsConfig DEFAULT = new TimeoutsConfig(DEFAULT_CONNECT, DEFAULT_RESPONSE);

  /** No overrides, what a route without {@code timeouts:} gets: both fields inherit from the service. */
  public static final TimeoutsConfig INHERIT = new TimeoutsConfig(null, null);

  /** Field-wise override: fields of {@code this} win when non-null. */
  public TimeoutsConfig orElse(TimeoutsConfig fallback) {
    return new TimeoutsConfig(
        connect != null ? connect : fallback.connect(), response != null ? response : fallback.response());
  }
}
