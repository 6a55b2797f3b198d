package io.tollgate.proxy;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Lifts {@code listener.idleTimeout} from an HTTP/1.x client connection while it carries an event stream, whose
 * silences are bounded by {@code timeouts.streamIdle} instead (issue 8: stream timeouts separate from connection and
 * request timeouts), and puts it back when the stream ends, for the connection's next requests. HTTP/2 connections
 * carry other streams and keep their idle timeout.
 *
 * <p>Vert.x has no API for a connection's idle timeout: this takes its idle handler out of the Netty pipeline (Vert.x
 * names it and places it before its own handler) and re-inserts an equal one. Confined to the connection's event
 * loop; does nothing when the connection has no idle handler.
 */
final class ListenerIdleSuspension {

  private static final Runnable NOTHING = () -> { };

  private ListenerIdleSuspension() {
  }

  /** Suspends the idle timeout of {@code request}'s connection; the result restores it (call once). */
  static Runnable suspend(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2 || !(request.connection() instanceof ConnectionBase connection)) {
      return NOTHING;
    }
    ChannelPipeline pipeline = connection.channel().pipeline();
    IdleStateHandler idle = pipeline.get(IdleStateHandler.class);
    if (idle == null) {
      return NOTHING;
    }
    String name = pipeline.context(idle).name();
    List<String> names = pipeline.names();
    String next = names.get(names.indexOf(name) + 1);
    pipeline.remove(idle);
    long reader = idle.getReaderIdleTimeInMillis();
    long writer = idle.getWriterIdleTimeInMillis();
    long all = idle.getAllIdleTimeInMillis();
    return () -> {
      if (connection.channel().isActive() && pipeline.get(name) == null && pipeline.get(next) != null) {
        pipeline.addBefore(next, name, new IdleStateHandler(reader, writer, all, TimeUnit.MILLISECONDS));
      }
    };
  }
}
