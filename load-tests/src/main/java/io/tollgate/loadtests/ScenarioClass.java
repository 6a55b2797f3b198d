package io.tollgate.loadtests;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

/**
 * The kinds of client in {@link Scenario}'s mix: which request each sends and which answers are <em>expected</em>.
 * A response outside the expected set (a wrong status, a missing header, a short body, a transport error) is
 * <em>unexpected</em> and fails the run, whatever its class. The legitimate share — requests that must succeed —
 * is {@link #READ} and {@link #UPLOAD}.
 */
enum ScenarioClass {

  /** {@code GET /monitors/{id}} of a monitor the token's subject owns, through the ownership check: 200, 1 KiB. */
  READ("read-owned", true),
  /** {@code GET /monitors/{id}} of someone else's monitor: 404 problem {@code not-found} (the gateway answers as if
   * the resource did not exist, so a caller cannot probe ids; docs/configuration.md, route {@code ownership}). */
  NOT_OWNED("read-not-owned", false),
  /** {@code GET /reports/{n}} faster than the route's per-subject limit: 200, or 429 with {@code Retry-After}. */
  LIMITED("rate-limited", false),
  /** {@code POST /uploads/{n}} with 64 KiB–1 MiB: 200, and the upstream read exactly the bytes sent. */
  UPLOAD("upload", true),
  /** {@code GET /nope/{n}}: no route, 404 problem {@code route-not-found}. */
  UNKNOWN("unknown-path", false);

  static final String PROBLEM_BASE = "https://tollgate.dev/problems/";

  final String label;
  final boolean legitimate;

  ScenarioClass(String label, boolean legitimate) {
    this.label = label;
    this.legitimate = legitimate;
  }

  /** The class of client {@code c} among {@code clients}: 60 % reads, then 10 % each of the others. */
  static ScenarioClass of(int client, int clients) {
    int percent = client * 100 / clients;
    return percent < 60 ? READ : percent < 70 ? NOT_OWNED : percent < 80 ? LIMITED : percent < 90 ? UPLOAD : UNKNOWN;
  }

  HttpMethod method() {
    return this == UPLOAD ? HttpMethod.POST : HttpMethod.GET;
  }

  /**
   * The outcome of one answer: {@code null} when expected, else why not. {@code sent} is the request body's
   * length (0 without one).
   */
  String unexpected(HttpClientResponse response, Buffer body, long sent) {
    int status = response.statusCode();
    return switch (this) {
      case READ -> status == 200 && body.length() == 1024 ? null : describe(status, body);
      case NOT_OWNED -> isProblem(response, body, 404, "not-found") ? null : describe(status, body);
      case LIMITED -> (status == 200 && body.length() == 1024)
          || (isProblem(response, body, 429, "rate-limited") && response.getHeader("Retry-After") != null)
          ? null : describe(status, body);
      case UPLOAD -> status == 200 && body.toString().startsWith("{")
          && body.toJsonObject().getLong("received", -1L) == sent ? null : describe(status, body);
      case UNKNOWN -> isProblem(response, body, 404, "route-not-found") ? null : describe(status, body);
    };
  }

  private static boolean isProblem(HttpClientResponse response, Buffer body, int status, String slug) {
    String type = response.getHeader("Content-Type");
    if (response.statusCode() != status || type == null || !type.startsWith("application/problem+json")) {
      return false;
    }
    return (PROBLEM_BASE + slug).equals(new JsonObject(body).getString("type"));
  }

  private static String describe(int status, Buffer body) {
    String text = body.toString();
    return status + " " + (text.length() > 160 ? text.substring(0, 160) + "…" : text);
  }
}
