package io.tollgate.testkit.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BlockedThreadGuard.class)
class WebSocketEchoPeerTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private Vertx vertx;
  private WebSocketClient client;
  private WebSocketEchoPeer peer;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(BlockedThreadGuard.vertxOptions());
    client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(16 << 20));
    peer = WebSocketEchoPeer.start(vertx, "v1", "v2");
  }

  @AfterEach
  void stop() {
    Await.result(client.close(), WAIT);
    peer.close();
    Await.result(vertx.close(), WAIT);
  }

  @Test
  void echoesTextAndBinaryAndRecordsTheHandshake() throws Exception {
    Client ws = connect(options("/chat?room=1").addHeader("X-Forwarded-For", "10.0.0.1")
        .addHeader("X-Dup", "a").addHeader("X-Dup", "b"));

    ws.socket.writeTextMessage("héllo");
    ws.socket.writeBinaryMessage(Buffer.buffer(new byte[] {0, 1, (byte) 0xff}));

    assertThat(ws.next()).isEqualTo("text:héllo");
    assertThat(ws.next()).isEqualTo("binary:00 01 ff");
    WebSocketHandshake seen = peer.takeHandshake(WAIT);
    assertThat(seen.socketId()).isEqualTo(1);
    assertThat(seen.uri()).isEqualTo("/chat?room=1");
    assertThat(seen.path()).isEqualTo("/chat");
    assertThat(seen.header("x-forwarded-for")).isEqualTo("10.0.0.1");
    assertThat(seen.headers().getAll("X-Dup")).containsExactly("a", "b");
    assertThat(seen.header("Upgrade")).isEqualToIgnoringCase("websocket");
    assertThat(seen.header("Sec-WebSocket-Key")).isNotBlank();
    assertThat(seen.subprotocol()).isNull();
    assertThat(seen.remoteAddress().host()).isEqualTo("127.0.0.1");
    assertThat(peer.openSockets()).isEqualTo(1);
    assertThat(peer.messagesEchoed()).isEqualTo(2);
  }

  @Test
  void echoesLargeMessagesWhole() throws Exception {
    Client ws = connect(options("/big"));
    Buffer payload = DeterministicBytes.slice(0, 1 << 20);

    ws.socket.writeBinaryMessage(payload);

    Buffer echoed = ws.binaries.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(echoed).isEqualTo(payload);
  }

  @Test
  void selectsTheFirstOfferedSubprotocolItSupports() {
    Client ws = connect(options("/").setSubProtocols(List.of("v3", "v2", "v1")));

    assertThat(ws.socket.subProtocol()).isEqualTo("v2");
    assertThat(peer.takeHandshake(WAIT).subprotocol()).isEqualTo("v2");
    assertThat(peer.handshakes().get(0).header("Sec-WebSocket-Protocol")).isEqualTo("v3,v2,v1");
  }

  @Test
  void answersUnsupportedOffersWithoutASubprotocol() {
    try (WebSocketEchoPeer plain = WebSocketEchoPeer.start(vertx)) {
      WebSocketConnectOptions offer = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(plain.port())
          .setURI("/").setSubProtocols(List.of("v1"));

      Throwable outcome = Await.result(client.connect(offer).map(ws -> (Throwable) null)
          .otherwise(failure -> failure), WAIT);

      assertThat(plain.takeHandshake(WAIT).subprotocol()).isNull();
      // RFC 6455 §4.1 lets a server ignore the offer, but Netty's client handshaker (Vert.x 5.0.8) then fails.
      assertThat(outcome).hasMessageContaining("Invalid subprotocol");
    }
  }

  @Test
  void closesEveryOpenSocketWithTheGivenCodeAndReason() throws Exception {
    Client first = connect(options("/a"));
    Client second = connect(options("/b"));
    peer.awaitOpenSockets(2, WAIT);

    assertThat(peer.closeAll(4001, "upstream going away")).isEqualTo(2);

    assertThat(first.closed.get(5, TimeUnit.SECONDS)).isEqualTo("4001 upstream going away");
    assertThat(second.closed.get(5, TimeUnit.SECONDS)).isEqualTo("4001 upstream going away");
    peer.awaitOpenSockets(0, WAIT);
    assertThat(peer.totalSockets()).isEqualTo(2);
    assertThat(peer.closes()).hasSize(2);
  }

  @Test
  void closesOneSocketOnItsInBandCommand() throws Exception {
    Client doomed = connect(options("/a"));
    Client other = connect(options("/b"));

    doomed.socket.writeTextMessage(WebSocketEchoPeer.CLOSE_COMMAND + " 4400 told to go");

    assertThat(doomed.closed.get(5, TimeUnit.SECONDS)).isEqualTo("4400 told to go");
    peer.awaitOpenSockets(1, WAIT);
    other.socket.writeTextMessage("still here");
    assertThat(other.next()).isEqualTo("text:still here");
    assertThat(peer.messagesEchoed()).isEqualTo(1);
  }

  @Test
  void recordsTheCloseCodeTheClientSent() {
    Client ws = connect(options("/"));

    Await.result(ws.socket.close((short) 4000, "bye"), WAIT);

    WebSocketClose close = peer.takeClose(WAIT);
    assertThat(close.socketId()).isEqualTo(1);
    assertThat(close.code()).isEqualTo(4000);
    assertThat(close.reason()).isEqualTo("bye");
    peer.awaitOpenSockets(0, WAIT);
  }

  @Test
  void answersPlainHttpWith426() {
    try (TestHttp http = new TestHttp(vertx)) {
      TestHttp.Reply reply = http.get(peer.port(), "/");
      assertThat(reply.status()).isEqualTo(426);
      assertThat(reply.headers().get("Upgrade")).isEqualTo("websocket");
    }
  }

  // --- helpers -------------------------------------------------------------------------------------------

  private WebSocketConnectOptions options(String uri) {
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(peer.port()).setURI(uri);
  }

  /** A connected client whose handlers were set in the event-loop task that completed the handshake. */
  private Client connect(WebSocketConnectOptions options) {
    return Await.result(client.connect(options).map(Client::new), WAIT);
  }

  private static final class Client {
    final WebSocket socket;
    final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    final BlockingQueue<Buffer> binaries = new LinkedBlockingQueue<>();
    final CompletableFuture<String> closed = new CompletableFuture<>();

    Client(WebSocket socket) {
      this.socket = socket;
      socket.textMessageHandler(text -> received.add("text:" + text));
      socket.binaryMessageHandler(bytes -> {
        binaries.add(bytes);
        if (bytes.length() <= 64) {
          received.add("binary:" + HexFormat.ofDelimiter(" ").formatHex(bytes.getBytes()));
        }
      });
      socket.closeHandler(v -> closed.complete(socket.closeStatusCode() + " " + socket.closeReason()));
    }

    String next() throws InterruptedException {
      String message = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(message).as("an echoed message within %s", WAIT).isNotNull();
      return message;
    }
  }
}
