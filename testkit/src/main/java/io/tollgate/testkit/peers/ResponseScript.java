package io.tollgate.testkit.peers;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays one {@link Behaviour} against one request, in the order the behaviour documents. Confined to the
 * event loop of the request's connection; every step is a future, so a closed connection just ends the
 * script.
 */
final class ResponseScript {

  private static final Logger LOG = LoggerFactory.getLogger(ResponseScript.class);

  private final Vertx vertx;
  private final HttpServerRequest request;
  private final HttpServerResponse response;
  private final Behaviour behaviour;
  private final RequestRecording recording;

  private ResponseScript(Vertx vertx, HttpServerRequest request, Behaviour behaviour, RequestRecording recording) {
    this.vertx = vertx;
    this.request = request;
    this.response = request.response();
    this.behaviour = behaviour;
    this.recording = recording;
  }

  /** Runs {@code behaviour}; call from the request handler, after {@link RequestRecording#start}. */
  static void run(Vertx vertx, HttpServerRequest request, Behaviour behaviour, RequestRecording recording) {
    new ResponseScript(vertx, request, behaviour, recording).run();
  }

  private void run() {
    if (behaviour.responseBody() instanceof ResponseBody.Echo) {
      // Chunks wait in Vert.x's inbound queue (and then in TCP) until the echo tap is installed.
      request.pause();
    }
    Future<RecordedRequest> ready =
        behaviour.awaitsRequestBody() ? recording.completion() : Future.succeededFuture();
    ready
        .compose(recorded -> delay(behaviour.headersDelay()).map(recorded))
        .compose(this::answer)
        .onFailure(this::abandon);
  }

  /** {@code recorded} is {@code null} when the behaviour does not wait for the request body. */
  private Future<Void> answer(RecordedRequest recorded) {
    if (behaviour.fault() == Behaviour.Fault.RESET_BEFORE_HEADERS) {
      return closeConnection();
    }
    response.setStatusCode(behaviour.statusCode());
    behaviour.headers().forEach(header -> response.headers().add(header.getKey(), header.getValue()));
    ResponseBody body = behaviour.responseBody();
    if (body instanceof ResponseBody.Echo) {
      return echo();
    }
    if (body instanceof ResponseBody.EchoJson) {
      putIfAbsent(HttpHeaders.CONTENT_TYPE, "application/json");
      return send(new ResponseBody.Fixed(describe(recorded)));
    }
    return send((ResponseBody.ChunkSource) body);
  }

  private Future<Void> send(ResponseBody.ChunkSource body) {
    boolean cutShort = behaviour.fault() == Behaviour.Fault.CLOSE_MID_BODY;
    frame(body.length());
    if (!cutShort && behaviour.bodyDelay().isZero() && body.length() <= DeterministicBytes.CHUNK_SIZE) {
      return response.end(body.read(0, (int) body.length()));
    }
    long toWrite = cutShort ? behaviour.closeAfterBytes() : body.length();
    return response.writeHead()
        .compose(v -> delay(behaviour.bodyDelay()))
        .compose(v -> BodyPump.write(response, body, toWrite))
        .compose(v -> cutShort ? closeConnection() : response.end());
  }

  private Future<Void> echo() {
    copyRequestHeader(HttpHeaders.CONTENT_TYPE);
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && !behaviour.isChunked()) {
      putIfAbsent(HttpHeaders.CONTENT_LENGTH, length);
    } else {
      response.setChunked(true);
    }
    return response.writeHead()
        .compose(v -> delay(behaviour.bodyDelay()))
        .compose(v -> {
          recording.tap(this::echoChunk);
          request.resume();
          return recording.completion();
        })
        .compose(recorded -> response.end());
  }

  private void echoChunk(Buffer chunk) {
    response.write(chunk);
    if (response.writeQueueFull()) {
      request.pause();
      response.drainHandler(v -> request.resume());
    }
  }

  /** Content-Length unless chunked or set by the behaviour; none for bodiless statuses (RFC 9110 §8.6). */
  private void frame(long length) {
    int status = behaviour.statusCode();
    boolean bodiless = status < 200 || status == 204 || status == 304;
    if (behaviour.isChunked()) {
      response.setChunked(true);
    } else if (!(bodiless && length == 0)) {
      putIfAbsent(HttpHeaders.CONTENT_LENGTH, Long.toString(length));
    }
  }

  private void putIfAbsent(CharSequence name, String value) {
    if (!response.headers().contains(name)) {
      response.putHeader(name, value);
    }
  }

  private void copyRequestHeader(CharSequence name) {
    String value = request.getHeader(name);
    if (value != null) {
      putIfAbsent(name, value);
    }
  }

  private Future<Void> closeConnection() {
    return request.connection().close();
  }

  private Future<Void> delay(Duration delay) {
    if (delay.isZero()) {
      return Future.succeededFuture();
    }
    return vertx.timer(Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
  }

  /** Ends an exchange that cannot go on: a half-sent response must not leave the client waiting. */
  private void abandon(Throwable failure) {
    LOG.debug("{} {}: behaviour stopped: {}", request.method(), request.uri(), failure.toString());
    if (!response.ended() && !response.closed()) {
      request.connection().close();
    }
  }

  private static Buffer describe(RecordedRequest recorded) {
    JsonObject headers = new JsonObject();
    recorded.headers().forEach((name, value) -> {
      String key = name.toLowerCase(Locale.ROOT);
      JsonArray values = headers.getJsonArray(key);
      if (values == null) {
        values = new JsonArray();
        headers.put(key, values);
      }
      values.add(value);
    });
    return new JsonObject()
        .put("method", recorded.method())
        .put("uri", recorded.uri())
        .put("path", recorded.path())
        .put("query", recorded.query())
        .put("headers", headers)
        .put("bodyBytes", recorded.bodyBytes())
        .put("bodySha256", recorded.bodySha256())
        .toBuffer();
  }
}
