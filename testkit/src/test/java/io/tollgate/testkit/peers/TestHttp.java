package io.tollgate.testkit.peers;

import io.tollgate.testkit.vertx.Await;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.function.Function;

/** A real Vert.x HTTP client with one pooled keep-alive connection, driven from the test thread. */
final class TestHttp implements AutoCloseable {

  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClientAgent client;

  TestHttp(Vertx vertx) {
    this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(1));
  }

  /** A fully read response. */
  record Reply(int status, MultiMap headers, Buffer body) {

    String bodyText() {
      return body.toString();
    }
  }

  Reply get(int port, String uri) {
    return send(HttpMethod.GET, port, uri, MultiMap.caseInsensitiveMultiMap(), null);
  }

  Reply send(HttpMethod method, int port, String uri, MultiMap headers, Buffer body) {
    return Await.result(exchange(method, port, uri, headers, body, response -> response.body()
        .map(content -> new Reply(response.statusCode(), response.headers(), content))), TIMEOUT);
  }

  /**
   * Sends a request and hands the response to {@code onResponse} in the event-loop task that delivers its head.
   * The nesting matters: with {@code request.send()} and {@code response.body()} in two chained
   * {@code compose} steps, the body can arrive before its handler is set and the call hangs (seen on Vert.x
   * 5.0.8 about once in 2000 requests made from a test thread).
   */
  <T> Future<T> exchange(HttpMethod method, int port, String uri, MultiMap headers, Buffer body,
      Function<HttpClientResponse, Future<T>> onResponse) {
    RequestOptions options = new RequestOptions()
        .setMethod(method).setHost("127.0.0.1").setPort(port).setURI(uri).setHeaders(headers);
    return client.request(options)
        .compose(request -> (body == null ? request.send() : request.send(body)).compose(onResponse));
  }

  @Override
  public void close() {
    Await.result(client.close(), TIMEOUT);
  }
}
