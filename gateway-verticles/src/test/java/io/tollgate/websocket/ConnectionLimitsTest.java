package io.tollgate.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.WebSocketConfig;
import io.tollgate.pipeline.GatewayFailure;
import io.tollgate.problem.ProblemType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {

  private static final WebSocketConfig THREE_TWO_EACH = new WebSocketConfig(null, null, 1, Duration.ZERO, 3, 2);

  @Test
  void perClientThenPerRouteLimitsRefuseWith503AndReleasesFreeSlots() {
    ConnectionLimits limits = new ConnectionLimits();
    assertThat(limits.tryAcquire("r", "a", THREE_TWO_EACH)).isNull();
    assertThat(limits.tryAcquire("r", "a", THREE_TWO_EACH)).isNull();
    GatewayFailure perClient = limits.tryAcquire("r", "a", THREE_TWO_EACH);
    assertThat(perClient.type()).isEqualTo(ProblemType.CONCURRENCY_LIMITED);
    assertThat(perClient.detail()).contains("this client");
    assertThat(limits.open("r")).as("a refusal counts nothing").isEqualTo(2);

    assertThat(limits.tryAcquire("r", "b", THREE_TWO_EACH)).isNull();
    assertThat(limits.tryAcquire("r", "c", THREE_TWO_EACH).detail()).contains("route 'r'");
    assertThat(limits.tryAcquire("other", "c", THREE_TWO_EACH)).as("limits are per route").isNull();

    limits.release("r", "a");
    assertThat(limits.tryAcquire("r", "c", THREE_TWO_EACH)).isNull();
  }

  @Test
  void zeroMeansUnlimitedAndReleasedClientsLeaveNoEntry() {
    WebSocketConfig unlimited = new WebSocketConfig(null, null, 1, Duration.ZERO, 0, 0);
    ConnectionLimits limits = new ConnectionLimits();
    for (int i = 0; i < 1_000; i++) {
      assertThat(limits.tryAcquire("r", "client-" + i, unlimited)).isNull();
    }
    for (int i = 0; i < 1_000; i++) {
      limits.release("r", "client-" + i);
    }
    assertThat(limits.open("r")).isZero();
  }
}
