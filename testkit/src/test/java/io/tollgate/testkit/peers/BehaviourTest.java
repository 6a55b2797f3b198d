package io.tollgate.testkit.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BehaviourTest {

  @Test
  void everyStepReturnsANewBehaviourAndLeavesTheOriginalAlone() {
    Behaviour base = Behaviour.status(201);
    Behaviour derived = base.header("X-A", "1").chunked();

    assertThat(derived).isNotSameAs(base);
    assertThat(base.headers()).isEmpty();
    assertThat(base.isChunked()).isFalse();
    assertThat(derived.headers()).hasSize(1);
    assertThat(derived.statusCode()).isEqualTo(201);
  }

  @Test
  void theLastFaultWins() {
    Behaviour behaviour = Behaviour.ok().body("0123456789").closeMidBody(3).resetBeforeHeaders();

    assertThat(behaviour.fault()).isEqualTo(Behaviour.Fault.RESET_BEFORE_HEADERS);
  }

  @Test
  void rejectsValuesThatCannotBeSent() {
    assertThatThrownBy(() -> Behaviour.status(99)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Behaviour.ok().header(" ", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Behaviour.ok().delayBody(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Behaviour.ok().streamBytes(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void echoNeverWaitsForTheWholeRequestBody() {
    assertThat(Behaviour.ok().echo().awaitBodyThen().awaitsRequestBody()).isFalse();
    assertThat(Behaviour.ok().awaitsRequestBody()).isTrue();
    assertThat(Behaviour.ok().respondBeforeBody().awaitsRequestBody()).isFalse();
  }
}
