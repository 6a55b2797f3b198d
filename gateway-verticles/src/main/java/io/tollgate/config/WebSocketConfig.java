package io.tollgate.config;

import java.time.Duration;

/**
 * A route's WebSocket proxying ({@code routes[i].websocket:}). A route with this section answers WebSocket upgrade
 * requests by opening a WebSocket to a target of its service and relaying frames both ways; its plain HTTP requests
 * are still proxied as usual. Routes without it forward an upgrade request as a plain request (the upgrade headers
 * are hop-by-hop and dropped).
 *
 * <p>Browsers cannot set {@code Authorization} on a WebSocket. The two fields below let such clients present a bearer
 * token another way; both are off by default. A token found there is verified exactly as an
 * {@code Authorization: Bearer} token (JWT; API keys are never taken from a URL or subprotocol) and is removed
 * before the handshake is forwarded: the upstream sees it only as {@code Authorization: Bearer}, never in the query
 * or the subprotocol list. A request that also sends {@code Authorization} keeps its header.
 *
 * @param tokenQueryParameter     name of a query parameter carrying the bearer token (e.g. {@code access_token});
 *                                default {@code null} = not accepted. URLs end up in browser history and
 *                                third-party logs: prefer the subprotocol.
 * @param tokenSubprotocolPrefix  prefix of an offered {@code Sec-WebSocket-Protocol} entry whose remainder is the
 *                                bearer token (e.g. {@code bearer.} for {@code bearer.<jwt>}); default {@code null} =
 *                                not accepted. The client should offer its real subprotocol too: only the upstream's
 *                                selection is answered.
 * @param maxMessageSize          largest message in bytes, fragments summed, in either direction; default
 *                                {@code 1048576} (1 MiB). A larger one closes both sides with 1009. Single frames are
 *                                also capped by {@code listener.maxWebSocketFrameSize}.
 * @param idleTimeout             no data frame or ping in either direction for this long closes both sides with 1001;
 *                                default {@code 5m}; {@code 0s} = never. Replaces {@code listener.idleTimeout} once
 *                                the socket is upgraded.
 * @param maxConnections          open WebSockets of this route per gateway node; default {@code 10000}; {@code 0} =
 *                                unlimited. Beyond it, the upgrade is refused with 503 {@code concurrency-limited}.
 * @param maxConnectionsPerClient open WebSockets of this route per client address per node; default {@code 100};
 *                                {@code 0} = unlimited. Beyond it, 503 {@code concurrency-limited}.
 */
public record WebSocketConfig(
    String tokenQueryParameter,
    String tokenSubprotocolPrefix,
    long maxMessageSize,
    Duration idleTimeout,
    int maxConnections,
    int maxConnectionsPerClient) {

  public static final long DEFAULT_MAX_MESSAGE_SIZE = 1 << 20;
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
  public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
  public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 100;

  /** All defaults: what {@code websocket: {}} means. */
  public static final WebSocketConfig DEFAULT = new WebSocketConfig(null, null, DEFAULT_MAX_MESSAGE_SIZE,
      DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_CLIENT);
}
