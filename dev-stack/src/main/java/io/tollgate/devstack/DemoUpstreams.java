package io.tollgate.devstack;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Small real upstream services for the demo, each on a free port of 127.0.0.1:
 * <ul>
 *   <li>echo services ({@code service1}, {@code service2}): answer with a JSON echo of what they received
 *       (method, path, query, forwarding headers), so the demo shows exactly what the gateway sent;</li>
 *   <li>the runner: {@code GET /internal/checks/?target_id=…} returns that monitor's recent checks;</li>
 *   <li>a WebSocket echo ({@code /ws});</li>
 *   <li>an SSE ticker ({@code /events}): one {@code tick} event per second, resuming after {@code Last-Event-ID}.</li>
 * </ul>
 */
final class DemoUpstreams {

  private DemoUpstreams() {
  }

  static Future<HttpServer> echoService(Vertx vertx, String name) {
    return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      JsonObject echo = new JsonObject()
          .put("service", name)
          .put("method", req.method().name())
          .put("path", req.path())
          .put("query", req.query())
          .put("bodyBytes", body.length())
          .put("x-forwarded-for", req.getHeader("x-forwarded-for"))
          .put("x-forwarded-host", req.getHeader("x-forwarded-host"))
          .put("x-request-id", req.getHeader("x-request-id"))
          .put("x-user-id", req.getHeader("x-user-id"));
      json(req, 200, echo);
    })).listen(0, "127.0.0.1");
  }

  static Future<HttpServer> runner(Vertx vertx) {
    return vertx.createHttpServer().requestHandler(req -> {
      String target = req.getParam("target_id");
      if (!req.path().equals("/internal/checks/") || target == null) {
        json(req, 404, new JsonObject().put("error", "not found"));
        return;
      }
      JsonArray checks = new JsonArray();
      long now = Instant.now().getEpochSecond();
      for (int i = 0; i < 3; i++) {
        checks.add(new JsonObject().put("target_id", target).put("status", i == 1 ? "down" : "up")
            .put("latency_ms", 40 + 7 * i).put("checked_at", Instant.ofEpochSecond(now - 60L * i).toString()));
      }
      json(req, 200, new JsonObject().put("results", checks).put("limit", req.getParam("limit")));
    }).listen(0, "127.0.0.1");
  }

  static Future<HttpServer> webSocketEcho(Vertx vertx) {
    return vertx.createHttpServer()
        .webSocketHandler(ws -> ws.handler(ws::write))
        .requestHandler(req -> json(req, 426, new JsonObject().put("error", "WebSocket only")))
        .listen(0, "127.0.0.1");
  }

  static Future<HttpServer> sseTicker(Vertx vertx) {
    return vertx.createHttpServer().requestHandler(req -> {
      String last = req.getHeader("Last-Event-ID");
      AtomicLong next = new AtomicLong(last == null ? 1 : parseOr(last, 0) + 1);
      var resp = req.response().setChunked(true)
          .putHeader("content-type", "text/event-stream")
          .putHeader("cache-control", "no-cache");
      resp.write(": tollgate demo ticker\n\n");
      long timer = vertx.setPeriodic(0, 1_000, id -> {
        long n = next.getAndIncrement();
        resp.write("id: " + n + "\nevent: tick\ndata: {\"n\":" + n + ",\"at\":\"" + Instant.now() + "\"}\n\n");
      });
      resp.closeHandler(v -> vertx.cancelTimer(timer));
    }).listen(0, "127.0.0.1");
  }

  private static long parseOr(String s, long fallback) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static void json(HttpServerRequest req, int status, JsonObject body) {
    req.response().setStatusCode(status).putHeader("content-type", "application/json")
        .end(body.encodePrettily() + "\n");
  }
}
