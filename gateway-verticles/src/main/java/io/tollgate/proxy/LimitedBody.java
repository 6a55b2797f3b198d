package io.tollgate.proxy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;

/**
 * A view of a request body that fails with {@link BodyTooLargeException} as soon as more than {@code limit}
 * bytes have arrived — before they are forwarded — so an oversized chunked upload never reaches the upstream
 * in full. Flow control (pause/resume/fetch) passes straight through to the source.
 *
 * <p>Optionally it reports progress (for the response timeout) and runs {@code beforeFirstChunk} once, just
 * before the first byte is forwarded — so a request turns chunked only if a body really comes.
 */
final class LimitedBody implements ReadStream<Buffer> {

  private final ReadStream<Buffer> source;
  private final long limit;
  private long seen;
  private boolean failed;
  private Handler<Throwable> exceptionHandler;
  private final UploadProgress progress;
  private Runnable beforeFirstChunk;
  private java.util.function.Consumer<Buffer> tap;

  LimitedBody(ReadStream<Buffer> source, long limit) {
    this(source, limit, null, null);
  }

  LimitedBody(ReadStream<Buffer> source, long limit, UploadProgress progress, Runnable beforeFirstChunk) {
    this.source = source;
    this.limit = limit;
    this.progress = progress;
    this.beforeFirstChunk = beforeFirstChunk;
  }

  /** Sees every chunk that is forwarded (e.g. to keep a small body for a retry). */
  LimitedBody tap(java.util.function.Consumer<Buffer> tap) {
    this.tap = tap;
    return this;
  }

  @Override
  public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
    this.exceptionHandler = handler;
    source.exceptionHandler(handler == null ? null : error -> {
      if (progress != null) {
        progress.clientFailed();
      }
      handler.handle(error);
    });
    return this;
  }

  @Override
  public ReadStream<Buffer> handler(Handler<Buffer> handler) {
    if (handler == null) {
      source.handler(null);
      return this;
    }
    source.handler(chunk -> {
      if (failed || chunk.length() == 0) {
        return; // an empty DATA frame (HTTP/2 END_STREAM) is not a body
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
      if (beforeFirstChunk != null) {
        Runnable first = beforeFirstChunk;
        beforeFirstChunk = null;
        first.run();
      }
      if (progress != null) {
        progress.moved(System.nanoTime());
      }
      if (tap != null) {
        tap.accept(chunk);
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
