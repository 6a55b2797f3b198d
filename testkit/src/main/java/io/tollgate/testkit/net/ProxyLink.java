package io.tollgate.testkit.net;

import io.netty.channel.ChannelOption;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One accepted client connection of a {@link ToxicProxy} and, unless it was accepted into a black hole, its
 * connection to the target. Applies the proxy's current {@link Toxic} to every chunk, in both directions.
 *
 * <p>Threads: everything runs on the client connection's event loop ({@link #context}); the target connection is
 * opened from it, so Vert.x binds it to the same loop. {@link #reset()} may be called from any thread.
 */
final class ProxyLink {

  private final Vertx vertx;
  private final Context context;
  private final NetSocket client;
  private final Supplier<Toxic> toxic;
  private final Runnable onClosed;
  private NetSocket target;
  private DelayedPipe upstream;
  private DelayedPipe downstream;
  private boolean aborted;
  private boolean clientClosed;

  ProxyLink(Vertx vertx, NetSocket client, Supplier<Toxic> toxic, Runnable onClosed) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.client = client;
    this.toxic = toxic;
    this.onClosed = onClosed;
  }

  /** Connects to the target (or not, for a black hole) and starts relaying; runs on the accepting event loop. */
  void start(NetClient targets, String host, int port) {
    client.exceptionHandler(failure -> { }); // a reset arrives as a close as well
    client.closeHandler(v -> {
      clientClosed = true;
      onClosed.run();
      if (upstream != null && !aborted) {
        upstream.end(currentLatency());
      }
    });
    if (toxic.get().kind() == Toxic.Kind.BLACK_HOLE) {
      client.handler(ignored -> { }); // read and discard, never connect, never answer
      return;
    }
    client.pause();
    targets.connect(port, host).onComplete(connected -> {
      if (connected.failed()) {
        abort(client); // the closest a proxy gets to passing on "connection refused"
        return;
      }
      target = connected.result();
      if (clientClosed) {
        target.close();
        return;
      }
      relay();
      client.resume();
    });
  }

  /** Aborts both connections with TCP RST; idempotent. */
  void reset() {
    context.runOnContext(v -> resetNow());
  }

  private void relay() {
    upstream = new DelayedPipe(vertx, client, target);
    downstream = new DelayedPipe(vertx, target, client);
    target.exceptionHandler(failure -> { });
    target.closeHandler(v -> {
      if (!aborted) {
        downstream.end(currentLatency());
      }
    });
    client.handler(chunk -> onChunk(upstream, chunk));
    target.handler(chunk -> onChunk(downstream, chunk));
  }

  private void onChunk(DelayedPipe pipe, Buffer chunk) {
    Toxic now = toxic.get();
    switch (now.kind()) {
      case PASS_THROUGH, LATENCY -> pipe.send(chunk, now.latency());
      case RESET -> resetNow();
      case BLACK_HOLE -> { }
    }
  }

  private void resetNow() {
    if (aborted) {
      return;
    }
    aborted = true;
    if (upstream != null) {
      upstream.discard();
      downstream.discard();
    }
    abort(client);
    if (target != null) {
      abort(target);
    }
  }

  private Duration currentLatency() {
    return toxic.get().latency();
  }

  private static void abort(NetSocket socket) {
    // Vert.x has no per-socket SO_LINGER; NetSocketInternal is the extension point its own clients use (as in
    // RawPeer). Linger 0 turns close() into an RST (RFC 793 "abort") instead of a FIN.
    ((NetSocketInternal) socket).channelHandlerContext().channel().config().setOption(ChannelOption.SO_LINGER, 0);
    socket.close();
  }
}
