package io.tollgate.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class FreePortsTest {

  @Test
  void returnsAPortThatCanBeBoundOnLoopback() throws Exception {
    int port = FreePorts.next();

    assertThat(port).isBetween(1, 65_535);
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress("127.0.0.1", port));
      assertThat(socket.getLocalPort()).isEqualTo(port);
    }
  }
}
