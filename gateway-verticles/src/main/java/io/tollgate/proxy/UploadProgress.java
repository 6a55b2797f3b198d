package io.tollgate.proxy;

/**
 * What the proxy knows about a request body on its way upstream: when a chunk last moved, whether the body is
 * complete, whether the client side failed. Confined to the request's event loop.
 *
 * <p>The response timeout is measured from the last progress: a body that keeps moving is never cut, an upstream
 * that stops reading (or never answers after the body) gets 504 once the timeout passes without progress.
 */
final class UploadProgress {

  private long lastActivityNanos;
  private boolean complete;
  private boolean clientFailed;

  UploadProgress(long nowNanos) {
    this.lastActivityNanos = nowNanos;
  }

  /** A chunk was handed to the upstream request. */
  void moved(long nowNanos) {
    lastActivityNanos = nowNanos;
  }

  /** The whole body was sent. */
  void completed(long nowNanos) {
    complete = true;
    lastActivityNanos = nowNanos;
  }

  /** The client's request stream failed (reset, closed mid-body). */
  void clientFailed() {
    clientFailed = true;
  }

  boolean isComplete() {
    return complete;
  }

  boolean hasClientFailed() {
    return clientFailed;
  }

  /** When a chunk last moved (or the request started, or the body completed), as {@link System#nanoTime()}. */
  long lastActivityNanos() {
    return lastActivityNanos;
  }

  /** Nanoseconds left before {@code timeoutNanos} without progress expires; ≤ 0 when it has. */
  long remainingNanos(long timeoutNanos, long nowNanos) {
    return lastActivityNanos + timeoutNanos - nowNanos;
  }
}
