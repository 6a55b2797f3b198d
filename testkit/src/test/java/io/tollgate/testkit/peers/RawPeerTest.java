package io.tollgate.testkit.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.testkit.http.RawHttpClient;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import java.io.EOFException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BlockedThreadGuard.class)
class RawPeerTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String GET = "GET /raw HTTP/1.1\r\nHost: raw\r\n\r\n";

  private Vertx vertx;
  private RawPeer peer;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(BlockedThreadGuard.vertxOptions());
    peer = UpstreamPeer.startRaw(vertx, RawBehaviour.malformed());
  }

  @AfterEach
  void stop() {
    peer.close();
    Await.result(vertx.close(), WAIT);
  }

  @Test
  void malformedAnswerFailsAVertxClient() {
    try (TestHttp http = new TestHttp(vertx)) {
      assertThatThrownBy(() -> http.get(peer.port(), "/raw")).isNotInstanceOf(AssertionError.class);
    }
    assertThat(peer.takeRequestHead(WAIT)).startsWith("GET /raw HTTP/1.1\r\n").containsIgnoringCase("host:");
  }

  @Test
  void resetIsAnRstNotAFin() throws Exception {
    peer.respond(RawBehaviour.reset());

    try (RawHttpClient client = RawHttpClient.connect("127.0.0.1", peer.port())) {
      client.send(GET);
      assertThatThrownBy(() -> client.readResponse(WAIT))
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
    }
  }

  @Test
  void closeWithoutResponseIsAFin() throws Exception {
    peer.respond(RawBehaviour.closeWithoutResponse());

    try (RawHttpClient client = RawHttpClient.connect("127.0.0.1", peer.port())) {
      client.send(GET);
      assertThatThrownBy(() -> client.readResponse(WAIT)).isInstanceOf(EOFException.class);
    }
  }

  @Test
  void silenceKeepsTheConnectionOpenWithoutAnswering() throws Exception {
    peer.respond(RawBehaviour.silence());

    try (RawHttpClient client = RawHttpClient.connect("127.0.0.1", peer.port())) {
      client.send(GET);
      assertThatThrownBy(() -> client.readResponse(Duration.ofMillis(300)))
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(peer.openConnections()).isEqualTo(1);
    }
  }

  @Test
  void replyThenKeepOpenLeavesTheConnectionUsable() throws Exception {
    peer.respond(RawBehaviour.reply("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi").thenKeepOpen());

    try (RawHttpClient client = RawHttpClient.connect("127.0.0.1", peer.port())) {
      assertThat(client.send(GET).readResponse(WAIT).bodyAsString()).isEqualTo("hi");
      assertThat(client.isClosedByPeer(Duration.ofMillis(200))).isFalse();
    }
    assertThat(peer.totalConnections()).isEqualTo(1);
  }
}
