package io.tollgate.auth.keys;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * GETs the small JSON documents of an identity provider (discovery, JWKS) with short, explicit limits: connect
 * within {@value #CONNECT_TIMEOUT_MS} ms, the whole response within {@value #RESPONSE_TIMEOUT_MS} ms of sending,
 * at most {@value #MAX_BODY_BYTES} bytes of body, status 200, a JSON object. Redirects are not followed (a JWKS
 * location is configuration, not something a response may move). Runs on the caller's event loop; the failure
 * message says what went wrong and where, ready for {@link IssuerKeys#lastError()}.
 */
final class JsonFetcher {

  static final long CONNECT_TIMEOUT_MS = 2_000;
  static final long RESPONSE_TIMEOUT_MS = 5_000;
  static final int MAX_BODY_BYTES = 1 << 20;

  /** A fetched document with the caching headers that decide the next refresh. */
  record Fetched(JsonObject json, String cacheControl, String age) {
  }

  private final Vertx vertx;
  private final HttpClient client;

  JsonFetcher(Vertx vertx, HttpClient client) {
    this.vertx = vertx;
    this.client = client;
  }

  Future<Fetched> get(String url) {
    RequestOptions options = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setAbsoluteURI(url)
        .setConnectTimeout(CONNECT_TIMEOUT_MS)
        .setFollowRedirects(false)
        .putHeader(HttpHeaders.ACCEPT, "application/json, application/jwk-set+json");
    return client.request(options)
        .compose(this::exchange)
        .recover(e -> Future.failedFuture(VertxException.noStackTrace(url + ": " + describe(e))));
  }

  private Future<Fetched> exchange(HttpClientRequest request) {
    // One deadline for head and body together: an idle timeout alone would let a server that trickles a byte
    // now and then hold the fetch (and a first start()) open indefinitely.
    AtomicBoolean expired = new AtomicBoolean();
    long deadline = vertx.setTimer(RESPONSE_TIMEOUT_MS, id -> {
      expired.set(true);
      request.reset();
    });
    return request.send()
        .compose(response -> read(request, response))
        .onComplete(ar -> vertx.cancelTimer(deadline))
        // A refused response (say a 503 with an endless body) must not keep its connection streaming into the void.
        .onFailure(e -> request.reset())
        // The reset surfaces as "Stream reset: 0"; say what happened instead.
        .recover(e -> Future.failedFuture(expired.get()
            ? VertxException.noStackTrace("no complete response within " + RESPONSE_TIMEOUT_MS + " ms") : e));
  }

  private static Future<Fetched> read(HttpClientRequest request, HttpClientResponse response) {
    Promise<Buffer> body = Promise.promise();
    // Set before any reset below, so the reset is this fetch's failure rather than an unhandled exception.
    response.exceptionHandler(body::tryFail);
    if (response.statusCode() != 200) {
      return Future.failedFuture(VertxException.noStackTrace("HTTP " + response.statusCode()));
    }
    String length = response.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length != null && tooLong(length)) {
      return Future.failedFuture(VertxException.noStackTrace("body of " + length + " bytes exceeds "
          + MAX_BODY_BYTES));
    }
    Buffer collected = Buffer.buffer();
    response.handler(chunk -> {
      if (body.future().isComplete()) {
        return;
      }
      if (collected.length() + chunk.length() > MAX_BODY_BYTES) {
        // Chunked bodies have no length up front: stop reading at the cap rather than buffering an attacker's stream.
        body.tryFail(VertxException.noStackTrace("body exceeds " + MAX_BODY_BYTES + " bytes"));
        request.reset();
      } else {
        collected.appendBuffer(chunk);
      }
    });
    response.endHandler(v -> body.tryComplete(collected));
    return body.future().compose(bytes -> {
      try {
        return Future.succeededFuture(new Fetched(new JsonObject(bytes),
            response.getHeader(HttpHeaders.CACHE_CONTROL), response.getHeader(HttpHeaders.AGE)));
      } catch (DecodeException | ClassCastException e) {
        return Future.failedFuture(VertxException.noStackTrace("not a JSON object"));
      }
    });
  }

  private static boolean tooLong(String contentLength) {
    try {
      return Long.parseLong(contentLength.strip()) > MAX_BODY_BYTES;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /** A one-line reason; connection errors carry their own ("Connection refused: /127.0.0.1:1234"). */
  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
