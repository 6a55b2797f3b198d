package io.tollgate.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.problem.ProblemType;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RejectionReasonTest {

  @Test
  void everyProblemTypeFallsIntoItsDocumentedGroup() {
    Map<ProblemType, RejectionReason> expected = new EnumMap<>(ProblemType.class);
    expected.put(ProblemType.BAD_REQUEST, RejectionReason.INVALID);
    expected.put(ProblemType.AMBIGUOUS_FRAMING, RejectionReason.INVALID);
    expected.put(ProblemType.INVALID_PATH, RejectionReason.INVALID);
    expected.put(ProblemType.UNAUTHORIZED, RejectionReason.AUTH);
    expected.put(ProblemType.FORBIDDEN, RejectionReason.AUTH);
    expected.put(ProblemType.ROUTE_NOT_FOUND, RejectionReason.ROUTING);
    expected.put(ProblemType.NOT_FOUND, RejectionReason.OWNERSHIP);
    expected.put(ProblemType.METHOD_NOT_ALLOWED, RejectionReason.ROUTING);
    expected.put(ProblemType.REQUEST_TIMEOUT, RejectionReason.INVALID);
    expected.put(ProblemType.BODY_TOO_LARGE, RejectionReason.SIZE);
    expected.put(ProblemType.URI_TOO_LONG, RejectionReason.SIZE);
    expected.put(ProblemType.RATE_LIMITED, RejectionReason.RATE_LIMIT);
    expected.put(ProblemType.HEADERS_TOO_LARGE, RejectionReason.SIZE);
    expected.put(ProblemType.INTERNAL_ERROR, RejectionReason.OTHER);
    expected.put(ProblemType.BAD_GATEWAY, RejectionReason.UPSTREAM);
    expected.put(ProblemType.UPSTREAM_UNAVAILABLE, RejectionReason.UPSTREAM);
    expected.put(ProblemType.NOT_READY, RejectionReason.OTHER);
    expected.put(ProblemType.OWNERSHIP_NOT_READY, RejectionReason.OWNERSHIP);
    expected.put(ProblemType.RATE_LIMITER_UNAVAILABLE, RejectionReason.RATE_LIMIT);
    expected.put(ProblemType.CONCURRENCY_LIMITED, RejectionReason.CONCURRENCY);
    expected.put(ProblemType.SHUTTING_DOWN, RejectionReason.OTHER);
    expected.put(ProblemType.CIRCUIT_OPEN, RejectionReason.UPSTREAM);
    expected.put(ProblemType.GATEWAY_TIMEOUT, RejectionReason.UPSTREAM);

    assertThat(expected).as("a new ProblemType needs a group here and in docs/operations.md")
        .containsOnlyKeys(ProblemType.values());
    Map<ProblemType, RejectionReason> actual = Arrays.stream(ProblemType.values())
        .collect(Collectors.toMap(t -> t, t -> RejectionReason.of(t.slug()), (a, b) -> a,
            () -> new EnumMap<>(ProblemType.class)));
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void authenticationDetailsCountAsAuth() {
    assertThat(RejectionReason.of("unauthorized:missing-credentials")).isEqualTo(RejectionReason.AUTH);
    assertThat(RejectionReason.of("unauthorized:expired")).isEqualTo(RejectionReason.AUTH);
  }

  @Test
  void abortsAndCleanRequestsAreNoRejection() {
    assertThat(RejectionReason.of(null)).isNull();
    assertThat(RejectionReason.of("client-closed")).isNull();
    assertThat(RejectionReason.of("request-aborted")).isNull();
    assertThat(RejectionReason.of("response-aborted")).isNull();
  }

  @Test
  void unknownSlugsShareOneLabelValue() {
    assertThat(RejectionReason.of("something-new")).isEqualTo(RejectionReason.OTHER);
    assertThat(RejectionReason.of("unauthorizedx")).isEqualTo(RejectionReason.OTHER);
    assertThat(Arrays.stream(RejectionReason.values()).map(RejectionReason::label))
        .containsExactly("auth", "ownership", "rate_limit", "size", "concurrency", "routing", "invalid", "upstream",
            "other");
  }
}
