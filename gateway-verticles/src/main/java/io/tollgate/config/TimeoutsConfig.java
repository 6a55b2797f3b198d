package io.tollgate.config;

import java.time.Duration;

/**
 * Upstream timeouts ({@code timeouts:} on a service or a route). In a route, a {@code null} field inherits
 * from the service; in a service, a {@code null} field takes the default.
 *
 * @param connect    time to establish the TCP (and TLS) connection; default {@code 2s}; on expiry 504
 * @param response   time from sending the request until the upstream's response headers arrive; default
 *                   {@code 30s}; on expiry 504. It does not limit how long a response body may stream.
 * @param total      the deadline of all attempts together (retries and their back-offs), counted from the first
 *                   attempt: no retry starts after it, and a retry's response timeout is cut to what is left of it.
 *                   Default ({@code null}): the response timeout, so retries never make a client wait longer than
 *                   one slow attempt would. The first attempt is bounded by {@code connect} and {@code response}
 *                   only.
 * @param streamIdle once a response is an event stream ({@code Content-Type: text/event-stream}), the longest
 *                   silence between two chunks from the upstream; default {@code 5m}; on expiry the stream is
 *                   aborted both ways (the client sees a broken stream, never a clean end, and reconnects). Other
 *                   responses are not limited by it. While the stream lasts it replaces {@code listener.idleTimeout}
 *                   on an HTTP/1.1 client connection; on HTTP/2 the connection's idle timeout still applies.
 */
public record TimeoutsConfig(Duration connect, Duration response, Duration total, Duration streamIdle) {

  public static final Duration DEFAULT_CONNECT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_RESPONSE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_STREAM_IDLE = Duration.ofMinutes(5);

  /** The defaults, what a service without {@code timeouts:} gets. */
  public static final TimeoutsConfig DEFAULT =
      new TimeoutsConfig(DEFAULT_CONNECT, DEFAULT_RESPONSE, null, DEFAULT_STREAM_IDLE);

  /** No overrides, what a route without {@code timeouts:} gets: every field inherits from the service. */
  public static final TimeoutsConfig INHERIT = new TimeoutsConfig(null, null, null, null);

  /** Connect and response timeouts; the total defaults to the response timeout, {@code streamIdle} unset. */
  public TimeoutsConfig(Duration connect, Duration response) {
    this(connect, response, null, null);
  }

  /** Field-wise override: fields of {@code this} win when non-null. */
  public TimeoutsConfig orElse(TimeoutsConfig fallback) {
    return new TimeoutsConfig(
        connect != null ? connect : fallback.connect(), response != null ? response : fallback.response(),
        total != null ? total : fallback.total(), streamIdle != null ? streamIdle : fallback.streamIdle());
  }

  /** The total deadline in force: {@code total}, or the response timeout when unset. */
  public Duration totalOrResponse() {
    return total != null ? total : response;
  }
}
