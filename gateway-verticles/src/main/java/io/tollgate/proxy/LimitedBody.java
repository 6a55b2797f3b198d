package io.tollgate.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A view of a request body that fails with {@link BodyTooLargeException} as soon as more than {@code limit}
 * bytes have arrived — before they are forwarded — so an oversized chunked upload never reaches the upstream
 * in full. Flow control (pause/resume/fetch) passes straight through to the source.
 */
final class LimitedBody implements ReadStream<Buffer> {

  private final ReadStream<Buffer> source;
  private final long limit;
  private long seen;
  private boolean failed;
  private Handler<Throwable> exceptionHandler;

  LimitedBody(ReadStream<Buffer> source, long limit) {
    this.source = source;
    this.limit = limit;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    source.exceptionHandler(handler);
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    if (handler == null) {
      source.handler(null);
      return this;
    }
    source.handler(chunk -> {
      if (failed) {
        return;
      }
      seen += chunk.length();
      if (seen > limit) {
        failed = true;
        source.pause();
        if (exceptionHandler != null) {
          exceptionHandler.handle(new BodyTooLargeException(limit));
        }
        return;
      }
      handler.handle(chunk);
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> pause() {
    source.pause();
    return this;
  }

  @Override
  public ReadStream<Buffer> resume() {
    if (!failed) {
      source.resume();
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> fetch(long amount) {
    if (!failed) {
      source.fetch(amount);
    }
    return this;
  }

  @Override
  public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
    source.endHandler(endHandler);
    return this;
  }
}
