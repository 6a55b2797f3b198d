package io.tollgate.config;

import java.util.List;

/**
 * The public data-plane listener ({@code listener:} in YAML).
 *
 * @param host                 bind address; default {@code 0.0.0.0}
 * @param port                 TCP port; default {@code 8080}; {@code 0} picks a free port (tests)
 * @param instances            number of {@code HttpIngressVerticle} instances; default {@code 0} = one per
 *                             event loop (event loops default to the number of CPU cores)
 * @param trustedProxies       CIDR blocks (IPv4 or IPv6) of proxies whose {@code X-Forwarded-*} and
 *                             {@code Forwarded} headers are kept and appended to; default empty = the
 *                             client's values are always replaced
 * @param maxInitialLineLength longest request line in bytes; default {@code 4096}; longer gets 414
 * @param maxHeaderSize        largest total request header block in bytes; default {@code 8192}; larger gets 431
 * @param maxBodySize          default request-body cap for routes, in bytes; default {@code 10485760} (10 MiB);
 *                             a route may override it; larger bodies get 413
 * @param escapedSlashes       what to do with {@code %2F} / {@code %5C} in a path; default {@link EscapedSlashes#REJECT}
 * @param idleTimeout          a client connection with no traffic in either direction for this long is closed;
 *                             default {@code 60s}; {@code 0s} = never. Does not apply to WebSockets once
 *                             upgraded (their route's {@code websocket.idleTimeout} does), nor to an HTTP/1.1
 *                             connection while it carries an event stream ({@code timeouts.streamIdle} does).
 * @param maxWebSocketFrameSize largest WebSocket frame payload in bytes accepted from clients and upstreams;
 *                             default {@code 1048576} (1 MiB). Checked from the frame header, before the payload is
 *                             read (a larger frame closes the socket with 1009), so it bounds the memory one frame
 *                             can take. Browsers send each message as one frame: keep it at least as large as the
 *                             largest route {@code websocket.maxMessageSize}.
 */
public record ListenerConfig(
    String host,
    int port,
    int instances,
    List<String> trustedProxies,
    int maxInitialLineLength,
    int maxHeaderSize,
    long maxBodySize,
    EscapedSlashes escapedSlashes,
    java.time.Duration idleTimeout,
    int maxWebSocketFrameSize) {

  public static final int DEFAULT_MAX_WEBSOCKET_FRAME_SIZE = 1 << 20;

  /** All defaults: what an absent {@code listener:} section means. */
  public static final ListenerConfig DEFAULT =
      new ListenerConfig("0.0.0.0", 8080, 0, List.of(), 4096, 8192, 10L * 1024 * 1024, EscapedSlashes.REJECT,
          java.time.Duration.ofSeconds(60), DEFAULT_MAX_WEBSOCKET_FRAME_SIZE);

  public ListenerConfig {
    trustedProxies = List.copyOf(trustedProxies);
  }

  /** A listener with the default WebSocket frame cap. */
  public ListenerConfig(String host, int port, int instances, List<String> trustedProxies, int maxInitialLineLength,
      int maxHeaderSize, long maxBodySize, EscapedSlashes escapedSlashes, java.time.Duration idleTimeout) {
    this(host, port, instances, trustedProxies, maxInitialLineLength, maxHeaderSize, maxBodySize, escapedSlashes,
        idleTimeout, DEFAULT_MAX_WEBSOCKET_FRAME_SIZE);
  }

  /** Policy for percent-encoded slashes and backslashes in request paths. */
  public enum EscapedSlashes {
    /** Answer 400: the safest default, since upstreams disagree about whether {@code %2F} is a separator. */
    REJECT,
    /** Forward unchanged and match them as ordinary characters inside a segment. */
    KEEP
  }
}
