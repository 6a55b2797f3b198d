package io.tollgate.proxy;

import io.tollgate.pipeline.RequestContext;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.streams.ReadStream;
import java.util.Locale;

/**
 * The body of an upstream event stream ({@code text/event-stream}) with the route's {@code timeouts.streamIdle}: no
 * chunk from the upstream for that long aborts the exchange ({@code abort} resets the upstream request; the proxy
 * then resets the client's response, so it sees a broken stream and reconnects with {@code Last-Event-ID}). Time
 * spent paused by back-pressure (a slow client) does not count: the upstream is not silent then, the gateway is
 * not reading.
 *
 * <p>While the stream lasts, the client connection's {@code listener.idleTimeout} is lifted
 * ({@link ListenerIdleSuspension}): the stream's silences are bounded by {@code streamIdle} instead.
 *
 * <p>Each chunk is written to the client as it arrives (Vert.x flushes every write), so events are never
 * buffered; chunks are passed on as they arrive — never buffered — and flow control passes straight through. One timer
 * per stream, re-armed lazily (at most one timer event per idle window, none per chunk). Confined to the request's
 * event loop.
 */
final class EventStreamBody implements ReadStream<Buffer> {

  private final Vertx vertx;
  private final RequestContext ctx;
  private final HttpClientResponse source;
  private final long idleNanos;
  private final Runnable abort;
  private long lastChunk = System.nanoTime();
  private long timer = -1;
  private boolean paused;
  private boolean done;
  private Runnable restoreListenerIdle = () -> { };

  private EventStreamBody(Vertx vertx, RequestContext ctx, HttpClientResponse source, long idleMs, Runnable abort) {
    this.vertx = vertx;
    this.ctx = ctx;
    this.source = source;
    this.idleNanos = idleMs * 1_000_000L;
    this.abort = abort;
  }

  /**
   * {@code response} itself unless it is an event stream, else a view of it with the stream idle timeout. For an
   * event stream, the client's response head (already copied) is sent at once: Vert.x would hold it until the
   * first body chunk, and an {@code EventSource} opens on the head — which may come long before the first event.
   */
  static ReadStream<Buffer> of(Vertx vertx, RequestContext ctx, HttpClientResponse response, Runnable abort) {
    String type = response.getHeader(HttpHeaders.CONTENT_TYPE);
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
      return response;
    }
    if (!ctx.response().headWritten()) {
      ctx.response().writeHead();
    }
    EventStreamBody body = new EventStreamBody(vertx, ctx, response, ctx.route().streamIdleMs(), abort);
    body.restoreListenerIdle = ListenerIdleSuspension.suspend(ctx.request());
    return body;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    if (handler == null) {
      source.handler(null);
      return this;
    }
    source.handler(chunk -> {
      lastChunk = System.nanoTime();
      handler.handle(chunk);
    });
    arm(idleNanos);
    return this;
  }

  private void arm(long delayNanos) {
    if (done || timer >= 0) {
      return;
    }
    timer = vertx.setTimer(Math.max(1, delayNanos / 1_000_000), id -> {
      timer = -1;
      long silent = paused ? 0 : System.nanoTime() - lastChunk;
      if (done) {
        return;
      }
      if (silent >= idleNanos) {
        stop();
        ctx.note("stream-idle-timeout");
        abort.run();
      } else {
        arm(idleNanos - silent);
      }
    });
  }

  private void stop() {
    if (!done) {
      restoreListenerIdle.run();
    }
    done = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    source.exceptionHandler(handler == null ? null : error -> {
      stop();
      handler.handle(error);
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    source.endHandler(endHandler == null ? null : v -> {
      stop();
      endHandler.handle(v);
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    paused = true;
    source.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    return fetch(Long.MAX_VALUE);
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    if (paused) {
      paused = false;
      lastChunk = System.nanoTime();
    }
    source.fetch(amount);
    return this;
  }
}
