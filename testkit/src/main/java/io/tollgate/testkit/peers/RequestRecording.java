package io.tollgate.testkit.peers;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import java.util.function.Consumer;

/**
 * Reads one request body to its end, counting and hashing it, and hands the finished
 * {@link RecordedRequest} to a sink exactly once: when the body ends, or when the stream or connection fails
 * first. Confined to the event loop of the request's connection.
 */
final class RequestRecording {

  private final RecordedRequest.Builder record;
  private final BodyRecorder body = new BodyRecorder();
  private final Promise<RecordedRequest> completion = Promise.promise();
  private final Consumer<RecordedRequest> sink;
  private final PeerConnection connection;
  private Handler<Buffer> tap = chunk -> {};
  private boolean settled;

  private RequestRecording(HttpServerRequest request, PeerConnection connection,
      Consumer<RecordedRequest> sink) {
    this.sink = sink;
    this.connection = connection;
    this.record = RecordedRequest.builder()
        .line(request.method().name(), request.uri(), request.path(), request.query(), request.version())
        .headers(request.headers())
        .connection(request.remoteAddress(), connection.id());
  }

  /** Starts reading {@code request}; call synchronously from the request handler so no chunk is missed. */
  static RequestRecording start(HttpServerRequest request, PeerConnection connection,
      Consumer<RecordedRequest> sink) {
    RequestRecording recording = new RequestRecording(request, connection, sink);
    connection.startedReading(recording);
    request.handler(recording::onChunk);
    request.endHandler(v -> recording.settle(null));
    request.exceptionHandler(failure -> recording.settle(String.valueOf(failure.getMessage())));
    return recording;
  }

  /** Also passes every later body chunk to {@code tap}, after recording it. */
  void tap(Handler<Buffer> tap) {
    this.tap = tap;
  }

  /** Marks the body aborted unless it already ended; safe to call more than once. */
  void connectionClosed() {
    settle("connection closed before the request body ended");
  }

  /** Succeeds with the record when the whole body arrived; fails when it was aborted. */
  Future<RecordedRequest> completion() {
    return completion.future();
  }

  private void onChunk(Buffer chunk) {
    body.append(chunk);
    tap.handle(chunk);
  }

  private void settle(String abortReason) {
    if (settled) {
      return;
    }
    settled = true;
    connection.finishedReading(this);
    RecordedRequest recorded = record
        .body(body.bytes(), body.sha256Hex(), body.keptOrNull())
        .abortReason(abortReason)
        .build();
    sink.accept(recorded);
    if (abortReason == null) {
      completion.complete(recorded);
    } else {
      completion.fail(VertxException.noStackTrace("request body aborted: " + abortReason));
    }
  }
}
