package io.tollgate.testkit.peers;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServerResponse;

/**
 * Writes the first {@code limit} bytes of a {@link ResponseBody.ChunkSource} to a response in
 * {@link DeterministicBytes#CHUNK_SIZE} chunks, only while the response's write queue has room, so memory
 * stays flat whatever the body size. Confined to the response's event loop.
 */
final class BodyPump {

  private final HttpServerResponse response;
  private final ResponseBody.ChunkSource source;
  private final long limit;
  private final Promise<Void> done = Promise.promise();
  private long written;
  private Future<Void> lastWrite = Future.succeededFuture();

  private BodyPump(HttpServerResponse response, ResponseBody.ChunkSource source, long limit) {
    this.response = response;
    this.source = source;
    this.limit = limit;
  }

  /**
   * Starts writing; the future completes once the last chunk has been handed to the socket (so closing the
   * connection afterwards loses nothing) and fails if the connection closes first.
   */
  static Future<Void> write(HttpServerResponse response, ResponseBody.ChunkSource source, long limit) {
    BodyPump pump = new BodyPump(response, source, limit);
    pump.writeWhileWritable();
    return pump.done.future();
  }

  private void writeWhileWritable() {
    if (response.closed()) {
      done.tryFail("connection closed after " + written + " of " + limit + " body bytes");
      return;
    }
    while (written < limit && !response.writeQueueFull()) {
      int length = (int) Math.min(DeterministicBytes.CHUNK_SIZE, limit - written);
      lastWrite = response.write(source.read(written, length));
      written += length;
    }
    if (written == limit) {
      lastWrite.onComplete(done);
    } else {
      response.drainHandler(v -> writeWhileWritable());
    }
  }
}
