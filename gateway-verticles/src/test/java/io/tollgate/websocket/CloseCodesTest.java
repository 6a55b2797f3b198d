package io.tollgate.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CloseCodesTest {

  @Test
  void codesThatMustNotBeSentAreReplacedAndOthersRelayedAsReceived() {
    assertThat(CloseCodes.relayable((short) 1008)).isEqualTo((short) 1008);
    assertThat(CloseCodes.relayable((short) 4321)).isEqualTo((short) 4321);
    assertThat(CloseCodes.relayable((short) 1005)).as("no code: orderly").isEqualTo((short) 1000);
    assertThat(CloseCodes.relayable((short) 1006)).isEqualTo((short) 1001);
    assertThat(CloseCodes.relayable(null)).isEqualTo((short) 1001);
  }

  @Test
  void labelsAreBounded() {
    assertThat(CloseCodes.label((short) 1011)).isEqualTo("1011");
    assertThat(CloseCodes.label((short) 3003)).isEqualTo("3xxx");
    assertThat(CloseCodes.label((short) 4999)).isEqualTo("4xxx");
    assertThat(CloseCodes.label((short) 2000)).isEqualTo("other");
    assertThat(CloseCodes.label(null)).isEqualTo("1006");
  }
}
