package io.tollgate.websocket;

import io.micrometer.core.instrument.Counter;
import io.tollgate.websocket.WebSocketMeters.Initiator;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrame;

/**
 * Relays one client WebSocket and its upstream WebSocket to each other, frame by frame.
 *
 * <p>Contract (confined to the ingress instance's event loop; both sockets live on it):
 * <ul>
 *   <li>Data frames are written on as received, fragmentation preserved; a side whose peer's write queue is full is
 *       paused until the peer drains, so a slow reader holds at most a write queue and a frame or so per socket in
 *       the gateway, and the fast side feels TCP back-pressure.</li>
 *   <li>A message (fragments summed) larger than the route's {@code maxMessageSize} closes both sides with 1009.
 *       Invalid UTF-8 in a text message closes both sides with 1007 ({@link Utf8Validator}). Frames over
 *       {@code listener.maxWebSocketFrameSize} are refused by the decoder from their header; the offending side is
 *       failed with 1009 ({@link FrameRefusal}), the other closed with the same code.</li>
 *   <li>A close frame is answered by Vert.x and its code and reason sent on to the other side; codes that must not
 *       be sent are mapped by {@link CloseCodes#relayable}. A side that vanishes without a close frame gets its
 *       peer closed with 1001.</li>
 *   <li>Pings are answered by each hop (Vert.x does) and also sent on, so both legs see traffic; pongs are not sent
 *       on (the sender already got one from the gateway).</li>
 *   <li>No data frame or ping either way for the idle timeout closes both sides with 1001; a side held back by
 *       back-pressure is busy, not idle.</li>
 *   <li>{@code ended} runs exactly once, when both connections are closed.</li>
 * </ul>
 */
final class WebSocketRelay {

  private final Vertx vertx;
  private final Leg client;
  private final Leg upstream;
  private final WebSocketMeters.Route meters;
  private final long maxMessageSize;
  private final long idleNanos;
  private final Runnable ended;
  private final SessionLog log;
  private Initiator closedBy;
  private Short firstCode;
  private long lastActivity = System.nanoTime();
  private long idleTimer = -1;
  private boolean recorded;
  private boolean finished;
  private final java.util.List<WebSocketFrame> early;

  /**
   * @param early frames the upstream sent before the relay existed (right behind its 101), relayed first
   */
  WebSocketRelay(Vertx vertx, WebSocketBase client, WebSocketBase upstream, WebSocketMeters.Route meters,
      long maxMessageSize, long idleTimeoutMs, SessionLog log, java.util.List<WebSocketFrame> early, Runnable ended) {
    this.vertx = vertx;
    this.log = log;
    this.meters = meters;
    this.maxMessageSize = maxMessageSize;
    this.idleNanos = idleTimeoutMs * 1_000_000L;
    this.ended = ended;
    this.client = new Leg(client, Initiator.CLIENT, meters.messagesUp, meters.bytesUp);
    this.upstream = new Leg(upstream, Initiator.UPSTREAM, meters.messagesDown, meters.bytesDown);
    this.client.peer = this.upstream;
    this.upstream.peer = this.client;
    this.early = early;
  }

  void start() {
    meters.opened();
    client.start();
    early.forEach(upstream::onFrame);
    early.clear();
    upstream.start();
    if (idleNanos > 0) {
      armIdleTimer(idleNanos);
    }
  }

  /** Closes both sides with 1001 (graceful shutdown). */
  void goingAway(String reason) {
    closeBoth(Initiator.GATEWAY, CloseCodes.GOING_AWAY, reason);
  }

  private void armIdleTimer(long delayNanos) {
    idleTimer = vertx.setTimer(Math.max(1, delayNanos / 1_000_000), id -> {
      long idle = System.nanoTime() - lastActivity;
      if (finished) {
        return;
      }
      if (idle >= idleNanos && !client.heldBack && !upstream.heldBack) {
        closeBoth(Initiator.GATEWAY, CloseCodes.GOING_AWAY, "idle timeout");
      } else {
        armIdleTimer(Math.max(idleNanos - idle, idleNanos / 4)); // a held-back side is busy, not idle
      }
    });
  }

  private void closeBoth(Initiator initiator, short code, String reason) {
    record(initiator, code);
    client.close(code, reason);
    upstream.close(code, reason);
  }

  private void record(Initiator initiator, Short code) {
    if (!recorded) {
      recorded = true;
      closedBy = initiator;
      firstCode = code;
      meters.closed(initiator, code);
    }
  }

  private void legEnded() {
    if (!finished && client.ended && upstream.ended) {
      finished = true;
      if (idleTimer >= 0) {
        vertx.cancelTimer(idleTimer);
      }
      log.ended(closedBy, firstCode, client.relayed, upstream.relayed);
      ended.run();
    }
  }

  /** One side: its socket, what it sends, and whether a close is under way. */
  private final class Leg {
    private final WebSocketBase socket;
    private final Initiator side;
    private final Counter messages;
    private final Counter bytes;
    private Leg peer;
    private long messageBytes;
    /** Messages and payload bytes this side sent that were relayed, for the session log. */
    private final long[] relayed = new long[2];
    private boolean inText;
    private final Utf8Validator utf8 = new Utf8Validator();
    private boolean closing;
    private boolean ended;
    /** Paused because the peer's write queue is full: traffic is waiting, the socket is not idle. */
    private boolean heldBack;

    Leg(WebSocketBase socket, Initiator side, Counter messages, Counter bytes) {
      this.socket = socket;
      this.side = side;
      this.messages = messages;
      this.bytes = bytes;
    }

    void start() {
      socket.frameHandler(this::onFrame);
      socket.exceptionHandler(failure -> { }); // resets and I/O errors end in the close handler
      FrameRefusal.install(socket, this::refused);
      socket.closeHandler(v -> onEnded());
      if (socket.isClosed()) {
        onEnded(); // closed before the relay started: the close handler will not run
      } else {
        socket.resume();
      }
    }

    private void onFrame(WebSocketFrame frame) {
      lastActivity = System.nanoTime();
      switch (frame.type()) {
        case TEXT, BINARY, CONTINUATION -> onData(frame);
        case PING -> {
          if (!peer.closing) {
            peer.socket.writePing(frame.binaryData());
          }
        }
        case CLOSE -> {
          closing = true; // Vert.x answers the close frame itself
          record(side, frame.closeStatusCode());
          peer.close(CloseCodes.relayable(frame.closeStatusCode()), frame.closeReason());
        }
        default -> { } // PONG: answers a ping this hop already answered
      }
    }

    private void onData(WebSocketFrame frame) {
      int length = frame.binaryData().length();
      long size = frame.isContinuation() ? messageBytes + length : length;
      if (size > maxMessageSize) {
        closeBoth(Initiator.GATEWAY, CloseCodes.MESSAGE_TOO_BIG,
            "message larger than " + maxMessageSize + " bytes");
        return;
      }
      messageBytes = frame.isFinal() ? 0 : size;
      if (closing || peer.closing) {
        return; // a close is under way: nothing more may follow it
      }
      if (!validText(frame)) {
        closeBoth(Initiator.GATEWAY, CloseCodes.INVALID_PAYLOAD, "invalid UTF-8 in a text message");
        return;
      }
      peer.socket.writeFrame(frame);
      bytes.increment(length);
      relayed[1] += length;
      if (frame.isFinal()) {
        messages.increment();
        relayed[0]++;
      }
      if (peer.socket.writeQueueFull()) {
        heldBack = true;
        socket.pause();
        peer.socket.drainHandler(v -> {
          heldBack = false;
          lastActivity = System.nanoTime();
          socket.resume();
        });
      }
    }

    /** Whether a text message's bytes so far are valid UTF-8 (binary frames are not checked). */
    private boolean validText(WebSocketFrame frame) {
      if (!frame.isContinuation()) {
        inText = frame.isText();
        utf8.reset();
      }
      if (!inText) {
        return true;
      }
      return utf8.accept(frame.binaryData()) && (!frame.isFinal() || utf8.endOfMessage());
    }

    /** The decoder refused a frame from this side ({@link FrameRefusal} fails the connection): close the other. */
    private void refused(short code, String reason) {
      record(Initiator.GATEWAY, code);
      closing = true;
      peer.close(code, reason);
    }

    /** Starts the closing handshake on this side, unless one is under way. */
    void close(short code, String reason) {
      if (closing || socket.isClosed()) {
        return;
      }
      closing = true;
      socket.resume(); // a paused side could never read the close reply
      socket.close(code, reason);
    }

    private void onEnded() {
      if (ended) {
        return;
      }
      ended = true;
      if (!closing) {
        // Gone without a close frame (TCP close or reset).
        record(side, null);
        closing = true;
      }
      peer.close(CloseCodes.GOING_AWAY, side == Initiator.CLIENT ? "client connection lost"
          : "upstream connection lost");
      legEnded();
    }
  }
}
