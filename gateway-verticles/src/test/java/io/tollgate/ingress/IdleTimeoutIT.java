package io.tollgate.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.http.RawHttpClient;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code listener.idleTimeout}: silent client connections are closed, busy ones are not. */
@ExtendWith(BlockedThreadGuard.class)
class IdleTimeoutIT {

  @Test
  void aSilentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
    try (TestGateway gateway = TestGateway.start("""
        listener: { port: 0, idleTimeout: 400ms }
        management: { enabled: false }
        """, Map.of());
        RawHttpClient client = RawHttpClient.connect("127.0.0.1", gateway.port())) {
      client.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(client.readResponse(Duration.ofSeconds(5)).status()).isEqualTo(200);
      long start = System.nanoTime();
      assertThat(client.isClosedByPeer(Duration.ofSeconds(5))).isTrue();
      assertThat((System.nanoTime() - start) / 1_000_000).isBetween(200L, 3_000L);
    }
  }
}
