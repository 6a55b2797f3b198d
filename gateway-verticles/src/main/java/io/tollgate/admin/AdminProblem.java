package io.tollgate.admin;

import io.tollgate.problem.ProblemType;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An Admin API error as RFC 9457 {@code application/problem+json}: the same type base and members as the data
 * plane's problems ({@code type}, {@code title}, {@code status}, {@code detail}, {@code instance}, {@code requestId}),
 * plus {@code errors: [{path, message}]} for an invalid config (422).
 *
 * @param status HTTP status
 * @param slug   the type's last path segment, e.g. {@code invalid-config}
 * @param title  short, constant per type
 * @param detail this occurrence; never a secret
 * @param errors every config error, or null
 */
record AdminProblem(int status, String slug, String title, String detail, JsonArray errors) {

  static AdminProblem of(int status, String slug, String title, String detail) {
    return new AdminProblem(status, slug, title, detail, null);
  }

  static AdminProblem badRequest(String detail) {
    return of(400, "bad-request", "Bad Request", detail);
  }

  static AdminProblem notFound(String detail) {
    return of(404, "not-found", "Not Found", detail);
  }

  static AdminProblem conflict(String detail) {
    return of(409, "conflict", "Conflict", detail);
  }

  static AdminProblem invalidConfig(JsonArray errors) {
    return new AdminProblem(422, "invalid-config", "Invalid Configuration",
        "the change was refused: the resulting config has " + errors.size() + " error(s); nothing was written",
        errors);
  }

  void send(HttpServerResponse response, String requestId) {
    if (response.ended()) {
      return;
    }
    JsonObject body = new JsonObject()
        .put("type", ProblemType.TYPE_BASE + slug)
        .put("title", title)
        .put("status", status)
        .put("detail", detail)
        .put("instance", requestId)
        .put("requestId", requestId);
    if (errors != null) {
      body.put("errors", errors);
    }
    response.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.toBuffer());
  }
}
