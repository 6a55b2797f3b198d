package io.tollgate.testkit.net;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ListeningPortsTest {

  @Test
  void failsWhileSomethingListensAndReturnsOnceItStopped() throws Exception {
    ServerSocket listener = new ServerSocket();
    listener.bind(new InetSocketAddress("127.0.0.1", 0));
    int port = listener.getLocalPort();

    assertThatThrownBy(() -> ListeningPorts.awaitClosed(port, Duration.ofMillis(50)))
        .isInstanceOf(AssertionError.class).hasMessageContaining("still listening");

    listener.close();

    assertThatCode(() -> ListeningPorts.awaitClosed(port, Duration.ofSeconds(1))).doesNotThrowAnyException();
  }
}
