package io.tollgate.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.internal.http.WebSocketInternal;
import java.util.concurrent.TimeUnit;

/**
 * Fails a WebSocket connection whose peer sent a frame the decoder refused (larger than
 * {@code listener.maxWebSocketFrameSize}, or malformed) the way RFC 6455 §7.1.7 asks: a close frame with the
 * decoder's code (1009, 1002 …), then the TCP close. Netty handler placed just before Vert.x's, because Vert.x closes
 * the connection at once on any pipeline exception — with the peer still sending, the kernel would then answer with
 * a reset that can destroy the close frame before the peer reads it. Here the connection lingers, reading and
 * discarding (the decoder drops everything after a bad frame), until the peer closes or {@link #LINGER_MS} passes.
 *
 * <p>Runs on the connection's event loop, the relay's; other exceptions pass on to Vert.x unchanged.
 */
final class FrameRefusal extends ChannelInboundHandlerAdapter {

  static final long LINGER_MS = 1_000;

  /** What the relay does when a frame was refused: record it and close the other side. */
  interface Listener {
    void refused(short code, String reason);
  }

  private static final String NAME = "tollgate-frame-refusal";
  private Listener listener;
  private boolean failed;
  private short pendingCode;
  private String pendingReason;

  private FrameRefusal(Listener listener) {
    this.listener = listener;
  }

  /**
   * Installs the handler in {@code socket}'s pipeline, before Vert.x's handler; on a socket that has one already, sets
   * its listener. A null listener defers: a refusal before the relay exists (right after the upstream handshake) is
   * reported to the listener set later.
   */
  static void install(WebSocketBase socket, Listener listener) {
    if (socket instanceof WebSocketInternal internal) {
      ChannelHandlerContext vertx = internal.channelHandlerContext();
      if (vertx.pipeline().get(NAME) instanceof FrameRefusal existing) {
        existing.listen(listener);
        return;
      }
      vertx.pipeline().addBefore(vertx.name(), NAME, new FrameRefusal(listener));
    }
  }

  private void listen(Listener next) {
    listener = next;
    if (failed && next != null && pendingReason != null) {
      String reason = pendingReason;
      pendingReason = null;
      next.refused(pendingCode, reason);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof CorruptedWebSocketFrameException corrupted)) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    if (failed) {
      return;
    }
    failed = true;
    short code = (short) corrupted.closeStatus().code();
    String reason = corrupted.closeStatus().reasonText();
    if (listener != null) {
      listener.refused(code, reason);
    } else {
      pendingCode = code;
      pendingReason = reason == null ? "" : reason;
    }
    ctx.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(sent ->
        ctx.executor().schedule(() -> ctx.close(), LINGER_MS, TimeUnit.MILLISECONDS));
  }
}
