package io.tollgate.devstack;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

/**
 * Small real upstream services for the demo: each answers {@code /api/**} with a JSON echo of what it received
 * (method, path, query, the forwarding headers), so the demo shows exactly what the gateway sent.
 */
final class DemoUpstreams {

  private DemoUpstreams() {
  }

  /** Starts an echo service named {@code name} on {@code port} (0 = any) of 127.0.0.1. */
  static Future<HttpServer> echoService(Vertx vertx, String name, int port) {
    return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      JsonObject echo = new JsonObject()
          .put("service", name)
          .put("method", req.method().name())
          .put("path", req.path())
          .put("query", req.query())
          .put("bodyBytes", body.length())
          .put("x-forwarded-for", req.getHeader("x-forwarded-for"))
          .put("x-forwarded-host", req.getHeader("x-forwarded-host"))
          .put("x-request-id", req.getHeader("x-request-id"));
      req.response().putHeader("content-type", "application/json").end(echo.encodePrettily() + "\n");
    })).listen(port, "127.0.0.1");
  }
}
