package io.tollgate.testkit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.testkit.peers.Behaviour;
import io.tollgate.testkit.peers.RawBehaviour;
import io.tollgate.testkit.peers.RawPeer;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import java.io.EOFException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BlockedThreadGuard.class)
class RawHttpClientTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String HOST = "127.0.0.1";

  private Vertx vertx;
  private UpstreamPeer upstream;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(BlockedThreadGuard.vertxOptions());
    upstream = UpstreamPeer.start(vertx);
  }

  @AfterEach
  void stop() {
    upstream.close();
    Await.result(vertx.close(), WAIT);
  }

  @Test
  void exchangesOneRequestWithAContentLengthBody() throws Exception {
    upstream.respond(Behaviour.status(202).header("X-Seen", "yes").body("accepted"));

    RawResponse response = RawHttpClient.exchange(HOST, upstream.port(), "GET /x HTTP/1.1\r\nHost: up\r\n\r\n");

    assertThat(response.version()).isEqualTo("HTTP/1.1");
    assertThat(response.status()).isEqualTo(202);
    assertThat(response.reason()).isEqualTo("Accepted");
    assertThat(response.header("x-seen")).isEqualTo("yes");
    assertThat(response.bodyAsString()).isEqualTo("accepted");
    assertThat(upstream.takeRequest(WAIT).uri()).isEqualTo("/x");
  }

  @Test
  void decodesChunkedBodies() throws Exception {
    upstream.respond(Behaviour.ok().body("hello, chunked world").chunked());

    RawResponse response = RawHttpClient.exchange(HOST, upstream.port(), "GET / HTTP/1.1\r\nHost: up\r\n\r\n");

    assertThat(response.header("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(response.header("Content-Length")).isNull();
    assertThat(response.bodyAsString()).isEqualTo("hello, chunked world");
  }

  @Test
  void readsPipelinedResponsesInOrderUntilThePeerCloses() throws Exception {
    upstream.respondTo("/a", Behaviour.ok().body("A")).respondTo("/b", Behaviour.ok().body("B"));

    try (RawHttpClient client = RawHttpClient.connect(HOST, upstream.port())) {
      client.send("GET /a HTTP/1.1\r\nHost: up\r\n\r\nGET /b HTTP/1.1\r\nHost: up\r\nConnection: close\r\n\r\n");

      List<RawResponse> responses = client.readResponses(WAIT);

      assertThat(responses).extracting(RawResponse::bodyAsString).containsExactly("A", "B");
      assertThat(client.isClosedByPeer(WAIT)).isTrue();
    }
    assertThat(upstream.requests()).extracting(r -> r.path()).containsExactly("/a", "/b");
  }

  @Test
  void readsHeadResponsesWithoutABody() throws Exception {
    upstream.respond(Behaviour.ok().body("12345"));

    try (RawHttpClient client = RawHttpClient.connect(HOST, upstream.port())) {
      RawResponse head = client.send("HEAD / HTTP/1.1\r\nHost: up\r\n\r\n").readResponseWithoutBody(WAIT);
      RawResponse get = client.send("GET / HTTP/1.1\r\nHost: up\r\n\r\n").readResponse(WAIT);

      assertThat(head.header("Content-Length")).isEqualTo("5");
      assertThat(head.body()).isEmpty();
      assertThat(get.bodyAsString()).isEqualTo("12345");
    }
  }

  @Test
  void timesOutWhenNoResponseArrives() throws Exception {
    upstream.respond(Behaviour.ok().delayHeaders(Duration.ofSeconds(2)));

    try (RawHttpClient client = RawHttpClient.connect(HOST, upstream.port())) {
      client.send("GET / HTTP/1.1\r\nHost: up\r\n\r\n");

      assertThatThrownBy(() -> client.readResponse(Duration.ofMillis(200)))
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(client.isClosedByPeer(Duration.ofMillis(100))).isFalse();
    }
  }

  @Test
  void rejectsAResponseWithBothContentLengthAndTransferEncoding() {
    assertThatThrownBy(() -> rawReply("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "3\r\nabc\r\n0\r\n\r\n"))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("both");
  }

  @Test
  void rejectsBareLineFeeds() {
    assertThatThrownBy(() -> rawReply("HTTP/1.1 200 OK\nContent-Length: 0\n\n"))
        .isInstanceOf(ProtocolException.class)
        .hasMessageContaining("bare LF");
  }

  @Test
  void rejectsConflictingContentLengths() {
    assertThatThrownBy(() -> rawReply("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void reportsABodyCutShortAsEof() {
    assertThatThrownBy(() -> rawReply("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void readsChunkExtensionsAndTrailers() throws Exception {
    RawResponse response = rawReply("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Checksum: 42\r\n\r\n");

    assertThat(response.bodyAsString()).isEqualTo("Wikipedia");
    assertThat(response.trailers()).containsExactly(Map.entry("X-Checksum", "42"));
  }

  @Test
  void readsAnUndelimitedBodyUntilClose() throws Exception {
    assertThat(rawReply("HTTP/1.1 200 OK\r\n\r\nuntil the end").bodyAsString()).isEqualTo("until the end");
  }

  private RawResponse rawReply(String reply) throws Exception {
    try (RawPeer peer = RawPeer.start(vertx, RawBehaviour.reply(reply))) {
      return RawHttpClient.exchange(HOST, peer.port(), "GET / HTTP/1.1\r\nHost: raw\r\n\r\n");
    }
  }
}
