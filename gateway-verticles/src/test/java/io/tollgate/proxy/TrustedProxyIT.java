package io.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.peers.RecordedRequest;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** When the TCP peer is a configured trusted proxy, its forwarding headers are kept and extended. */
@ExtendWith(BlockedThreadGuard.class)
class TrustedProxyIT {

  private static Vertx vertx;
  private static UpstreamPeer upstream;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = UpstreamPeer.start(vertx);
    gateway = TestGateway.start("""
        listener:
          port: 0
          trustedProxies: [ 127.0.0.0/8 ]
        management:
          enabled: false
        services:
          app:
            targets: [ "${APP_URL}" ]
        routes:
          - id: app
            path: /**
            service: app
            preserveHost: true
        """, Map.of("APP_URL", upstream.baseUrl()));
  }

  @AfterAll
  static void stop() {
    gateway.close();
    vertx.close().await();
  }

  @Test
  void chainIsAppendedAndOriginalSchemeAndHostKept() {
    gateway.send(gateway.request("/orders")
        .header("X-Forwarded-For", "203.0.113.7, 10.0.0.2")
        .header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Host", "api.example.com")
        .header("Forwarded", "for=203.0.113.7;proto=https;host=api.example.com")
        .GET().build());

    RecordedRequest got = upstream.takeRequest(Duration.ofSeconds(10));
    assertThat(got.header("X-Forwarded-For")).isEqualTo("203.0.113.7, 10.0.0.2, 127.0.0.1");
    assertThat(got.header("X-Forwarded-Proto")).isEqualTo("https");
    assertThat(got.header("X-Forwarded-Host")).isEqualTo("api.example.com");
    assertThat(got.header("Forwarded")).startsWith("for=203.0.113.7;proto=https;host=api.example.com, for=127.0.0.1;");
    // preserveHost: the upstream sees the client's Host, not its own address.
    assertThat(got.header("Host")).isEqualTo("127.0.0.1:" + gateway.port());
  }
}
