package io.tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;

/** Asserts that a response is a well-formed RFC 9457 problem of the expected kind, tied to its request id. */
public final class ProblemAssert {

  private ProblemAssert() {
  }

  /** Checks status, media type, the five members, and that {@code instance} equals {@code X-Request-Id}. */
  public static JsonObject assertProblem(HttpResponse<String> response, int status, String typeSlug) {
    assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
    return assertProblem(status, typeSlug, response.headers().firstValue("content-type").orElse(null),
        response.headers().firstValue("x-request-id").orElse(null), response.body());
  }

  public static JsonObject assertProblem(int status, String typeSlug, String contentType, String requestId,
      String body) {
    assertThat(contentType).isEqualTo("application/problem+json");
    JsonObject problem = new JsonObject(body);
    assertThat(problem.getString("type")).isEqualTo("https://tollgate.dev/problems/" + typeSlug);
    assertThat(problem.getInteger("status")).isEqualTo(status);
    assertThat(problem.getString("title")).isNotBlank();
    assertThat(problem.getString("detail")).isNotBlank();
    assertThat(requestId).isNotBlank();
    assertThat(problem.getString("instance")).isEqualTo(requestId);
    return problem;
  }
}
