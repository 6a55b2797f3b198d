package io.tollgate.websocket;

import io.tollgate.websocket.WebSocketMeters.Initiator;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per ended WebSocket on the logger {@code tollgate.websocket} (the upgrade request itself is in the
 * access log, status 101, same {@code requestId}): {@code time}, {@code requestId}, {@code route}, {@code upstream},
 * {@code durationMs} (from the 101), {@code code} (first close code; {@code null} when a side vanished without
 * one), {@code initiator} ({@code client}, {@code upstream}, {@code gateway}), and messages and payload bytes per
 * direction. Close reasons and payloads are never logged (they are the application's).
 */
final class SessionLog {

  private static final Logger LOG = LoggerFactory.getLogger("tollgate.websocket");

  private final String requestId;
  private final String route;
  private final String upstream;
  private final long openedNanos = System.nanoTime();

  SessionLog(String requestId, String route, String upstream) {
    this.requestId = requestId;
    this.route = route;
    this.upstream = upstream;
  }

  void ended(Initiator initiator, Short code, long[] up, long[] down) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    LOG.info(new JsonObject()
        .put("time", Instant.now().toString())
        .put("requestId", requestId)
        .put("route", route)
        .put("upstream", upstream)
        .put("durationMs", (System.nanoTime() - openedNanos) / 1_000_000)
        .put("code", code)
        .put("initiator", initiator == null ? null : initiator.label)
        .put("messagesUp", up[0]).put("bytesUp", up[1])
        .put("messagesDown", down[0]).put("bytesDown", down[1])
        .encode());
  }
}
