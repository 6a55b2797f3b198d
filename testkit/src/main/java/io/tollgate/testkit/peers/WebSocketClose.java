package io.tollgate.testkit.peers;

/**
 * How one WebSocket accepted by a {@link WebSocketEchoPeer} ended.
 *
 * @param socketId as in {@link WebSocketHandshake#socketId()}
 * @param code the status code of the close frame the client sent (or answered with), {@code null} when the
 *     connection ended without one — a TCP close or reset
 * @param reason the reason in that close frame, {@code null} without one
 */
public record WebSocketClose(int socketId, Integer code, String reason) {}
