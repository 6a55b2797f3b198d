package io.tollgate.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.pipeline.GatewayFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The problem document; writing it to a response is covered by the integration tests. */
class ProblemResponderRenderTest {

  @Test
  void rendersTheRfc9457MembersAndTheRequestId() {
    GatewayFailure failure = GatewayFailure.of(ProblemType.METHOD_NOT_ALLOWED, "POST is not allowed here")
        .withHeader("Allow", "GET");

    JsonObject problem = new JsonObject(ProblemResponder.render(failure, "req-7"));

    assertThat(problem.fieldNames())
        .containsExactlyInAnyOrder("type", "title", "status", "detail", "instance", "requestId");
    assertThat(problem.getString("type")).isEqualTo("https://tollgate.dev/problems/method-not-allowed");
    assertThat(problem.getString("title")).isEqualTo("Method Not Allowed");
    assertThat(problem.getValue("status")).isEqualTo(405);
    assertThat(problem.getString("detail")).isEqualTo("POST is not allowed here");
    assertThat(problem.getString("instance")).isEqualTo("req-7");
    assertThat(problem.getString("requestId")).isEqualTo("req-7");
  }

  @Test
  void aTracedRequestsProblemCarriesItsTraceId() {
    GatewayFailure failure = GatewayFailure.of(ProblemType.ROUTE_NOT_FOUND, "no route");

    JsonObject traced = new JsonObject(
        ProblemResponder.render(failure, "r", "4bf92f3577b34da6a3ce929d0e0e4736"));
    JsonObject untraced = new JsonObject(ProblemResponder.render(failure, "r", null));

    assertThat(traced.getString("traceId")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(untraced.containsKey("traceId")).isFalse();
  }

  @Test
  void detailIsEscapedNotInterpolated() {
    String detail = "quote \" backslash \\ newline \n brace }";

    JsonObject problem = new JsonObject(
        ProblemResponder.render(GatewayFailure.of(ProblemType.BAD_REQUEST, detail), "r"));

    assertThat(problem.getString("detail")).isEqualTo(detail);
    assertThat(problem.getInteger("status")).isEqualTo(400);
  }

  @Test
  void everyTypeRendersItsOwnStatusAndUri() {
    for (ProblemType type : ProblemType.values()) {
      JsonObject problem = new JsonObject(ProblemResponder.render(GatewayFailure.of(type, "d"), "r"));

      assertThat(problem.getInteger("status")).as("%s", type).isEqualTo(type.status());
      assertThat(problem.getString("type")).isEqualTo(ProblemType.TYPE_BASE + type.slug());
      assertThat(problem.getString("title")).isEqualTo(type.title());
    }
  }
}
