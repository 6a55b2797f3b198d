package io.tollgate.testkit.peers;

import io.vertx.core.MultiMap;
import io.vertx.core.net.SocketAddress;

/**
 * One request an {@link SsePeer} received.
 *
 * @param streamId 1 for the first request, then 2, 3, ...
 * @param method as sent
 * @param uri the request target as sent
 * @param headers the request headers; the caller's own copy
 * @param lastEventId the {@code Last-Event-ID} header, {@code null} when absent
 * @param firstEventId the id the peer started this stream from: 1, or one past a numeric {@code lastEventId};
 *     0 when the request was refused (not {@code GET})
 * @param remoteAddress the TCP peer: the gateway, when one is in front
 */
public record SseRequest(int streamId, String method, String uri, MultiMap headers, String lastEventId,
    long firstEventId, SocketAddress remoteAddress) {}
