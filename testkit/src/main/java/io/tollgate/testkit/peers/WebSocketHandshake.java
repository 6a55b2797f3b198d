package io.tollgate.testkit.peers;

import io.vertx.core.MultiMap;
import io.vertx.core.net.SocketAddress;

/**
 * The opening handshake of one WebSocket as a {@link WebSocketEchoPeer} accepted it: what a gateway forwarded.
 *
 * @param socketId 1 for the first socket the peer accepted, then 2, 3, ...
 * @param uri the request target as sent, e.g. {@code /chat?room=1}
 * @param path the path part of {@code uri}, not decoded
 * @param headers the upgrade request's headers (case-insensitive, repeated names kept in order); the caller's
 *     own copy
 * @param subprotocol the subprotocol the peer selected, {@code null} when none
 * @param remoteAddress the TCP peer: the gateway, when one is in front
 */
public record WebSocketHandshake(int socketId, String uri, String path, MultiMap headers, String subprotocol,
    SocketAddress remoteAddress) {

  /** The first value of a header, case-insensitive, or {@code null}. */
  public String header(String name) {
    return headers.get(name);
  }
}
