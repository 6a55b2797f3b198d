package io.tollgate.loadtests;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;

/**
 * The scenario's upstream for uploads (and for reads when nginx is not installed), on 127.0.0.1: {@code GET} answers a
 * 1 KiB body; any other method reads the whole request body and answers {@code {"received": <bytes read>}}, so the
 * load test can check that every byte it sent went through the gateway (nginx cannot report what it really read).
 * One event loop; runs until killed.
 *
 * <pre>java -cp tollgate-loadgen.jar io.tollgate.loadtests.ScenarioUpstream PORT</pre>
 */
public final class ScenarioUpstream {

  private static final Buffer ONE_KIB = Buffer.buffer("x".repeat(1024));

  private ScenarioUpstream() {
  }

  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(Integer.parseInt(args[0])))
        .requestHandler(ScenarioUpstream::handle)
        .listen()
        .onFailure(e -> {
          System.err.println("ScenarioUpstream: " + e.getMessage());
          System.exit(1);
        });
  }

  private static void handle(HttpServerRequest request) {
    if (request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) {
      request.response().putHeader("Content-Type", "text/plain").end(ONE_KIB);
      return;
    }
    long[] received = {0};
    request.handler(chunk -> received[0] += chunk.length());
    request.endHandler(v -> request.response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("received", received[0]).encode()));
  }
}
