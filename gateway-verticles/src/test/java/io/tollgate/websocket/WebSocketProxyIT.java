package io.tollgate.websocket;

import static io.tollgate.testing.ProblemAssert.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.Unpooled;
import io.tollgate.observability.PrometheusText;
import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.auth.TokenIssuer;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.peers.WebSocketClose;
import io.tollgate.testkit.peers.WebSocketEchoPeer;
import io.tollgate.testkit.peers.WebSocketHandshake;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WebSockets through a real gateway, between a real Vert.x WebSocket client and the test kit's echo peer: frames,
 * sizes, close codes both ways, handshake authentication and limits, idle timeout, metrics.
 */
@ExtendWith(BlockedThreadGuard.class)
class WebSocketProxyIT {

  private static final Duration WAIT = ClientSockets.WAIT;

  private static Vertx vertx;
  private static WebSocketEchoPeer upstream;
  private static TokenIssuer idp;
  private static UpstreamPeer httpUpstream;
  private static io.vertx.core.http.HttpServer bigFramePeer;
  private static final java.util.concurrent.BlockingQueue<Short> bigFrameCloses =
      new java.util.concurrent.LinkedBlockingQueue<>();
  private static TestGateway gateway;
  private static ClientSockets clients;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = WebSocketEchoPeer.start(vertx, "chat");
    idp = TokenIssuer.start(vertx);
    httpUpstream = UpstreamPeer.start(vertx);
    // An upstream that greets at once ("hello"), then sends one 2 MiB frame: over the gateway's 1 MiB frame cap,
    // under the route's 4 MiB message limit.
    bigFramePeer = Await.result(vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions()
        .setMaxWebSocketFrameSize(4 << 20)).webSocketHandler(ws -> {
          ws.closeHandler(v -> bigFrameCloses.add(ws.closeStatusCode() == null ? 0 : ws.closeStatusCode()));
          ws.writeTextMessage("hello");
          ws.writeFrame(WebSocketFrame.binaryFrame(Buffer.buffer(new byte[2 << 20]), true));
        }).listen(0, "127.0.0.1"), WAIT);
    gateway = TestGateway.start("""
        listener: { port: 0, maxWebSocketFrameSize: 1MiB }
        management: { port: 0 }
        auth:
          issuers:
            - { name: idp, discovery: "${IDP_DISCOVERY}" }
        services:
          ws:
            targets: [ "${WS_URL}" ]
          pair:
            targets: [ "http://127.0.0.1:${DEAD_PORT}", "${WS_URL}" ]
            outlierDetection: { consecutiveFailures: 1 }
          dead:
            targets: [ "http://127.0.0.1:${DEAD_PORT}" ]
          plain:
            targets: [ "${HTTP_URL}" ]
          big-frame:
            targets: [ "${BIG_FRAME_URL}" ]
        routes:
          - id: mixed
            path: /mixed/**
            service: plain
            auth: public
            websocket: { tokenQueryParameter: access_token }
          - { id: balanced, path: /balanced/**, service: pair, auth: public, websocket: {} }
          - { id: host, path: /host/**, service: ws, auth: public, preserveHost: true, websocket: {} }
          - { id: unreachable, path: /unreachable/**, service: dead, auth: public, websocket: {} }
          - id: echo
            path: /echo/**
            service: ws
            auth: public
            websocket: {}
          - id: small
            path: /small/**
            service: ws
            auth: public
            websocket: { maxMessageSize: 1MiB }
          - id: big-frame
            path: /big-frame/**
            service: big-frame
            auth: public
            websocket: { maxMessageSize: 4MiB }
          - id: limited
            path: /limited/**
            service: ws
            auth: public
            websocket: { maxConnectionsPerClient: 2 }
          - id: idle
            path: /idle/**
            service: ws
            auth: public
            websocket: { idleTimeout: 1s }
          - id: metered
            path: /metered/**
            service: ws
            auth: public
            websocket: {}
          - id: secure
            path: /secure/**
            service: ws
            auth: { accept: [jwt] }
            websocket: { tokenQueryParameter: access_token, tokenSubprotocolPrefix: "bearer." }
        """, Map.of("WS_URL", "http://127.0.0.1:" + upstream.port(), "IDP_DISCOVERY", idp.discoveryUri(),
            "DEAD_PORT", String.valueOf(io.tollgate.testkit.net.FreePorts.next()),
            "HTTP_URL", httpUpstream.baseUrl(), "BIG_FRAME_URL", "http://127.0.0.1:" + bigFramePeer.actualPort()));
    clients = new ClientSockets(vertx, gateway.port());
  }

  @AfterAll
  static void stop() {
    clients.close();
    gateway.close();
    upstream.close();
    httpUpstream.close();
    idp.close();
    vertx.close().await();
  }

  @Test
  void textAndBinaryMessagesAreEchoedThroughTheGateway() {
    ClientSockets.Socket socket = clients.connect("/echo/room?x=1");
    assertThat(socket.echo("hello")).isEqualTo("hello");
    Buffer bytes = Buffer.buffer(new byte[] {0, 1, 2, (byte) 0xff, 127});
    assertThat(socket.echo(bytes)).isEqualTo(bytes);
    assertThat(socket.echo("héllo wörld ✓")).isEqualTo("héllo wörld ✓");
    socket.ws.close();
    socket.awaitClose();
  }

  @Test
  void upstreamHandshakeCarriesForwardingHeadersAndTheSubprotocolIsTheUpstreamsChoice() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Forwarded-For", "6.6.6.6")
        .add("Origin", "https://app.example");
    ClientSockets.Socket socket = clients.connect("/echo/sub", headers, List.of("unknown-proto", "chat"));
    assertThat(socket.ws.subProtocol()).isEqualTo("chat");
    assertThat(socket.ws.headers().get("X-Request-Id")).isNotBlank();
    WebSocketHandshake seen = lastHandshake("/echo/sub");
    assertThat(seen.header("X-Forwarded-For")).as("a client's X-Forwarded-For is replaced").isEqualTo("127.0.0.1");
    assertThat(seen.header("X-Request-Id")).isEqualTo(socket.ws.headers().get("X-Request-Id"));
    assertThat(seen.header("Origin")).isEqualTo("https://app.example");
    assertThat(seen.header("Sec-WebSocket-Protocol")).isEqualTo("unknown-proto,chat");
    assertThat(socket.echo("x")).isEqualTo("x");
    socket.ws.close();
  }

  @Test
  void theTargetsHostIsSentUnlessTheRoutePreservesTheClientsHost() {
    clients.connect("/echo/host", MultiMap.caseInsensitiveMultiMap().add("Host", "chat.example:8443"), List.of())
        .ws.close();
    assertThat(lastHandshake("/echo/host").header("Host")).isEqualTo("127.0.0.1:" + upstream.port());
    clients.connect("/host/a", MultiMap.caseInsensitiveMultiMap().add("Host", "chat.example:8443"), List.of())
        .ws.close();
    assertThat(lastHandshake("/host/a").header("Host")).isEqualTo("chat.example:8443");
  }

  @Test
  void fragmentedMessagesAreRelayedFrameByFrameAndArriveWhole() {
    ClientSockets.Socket socket = clients.connect("/echo/fragments");
    // A multi-byte character split across fragments: relaying must not decode fragments as text.
    byte[] utf8 = "abc✓def".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Await.result(socket.ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT,
        Unpooled.wrappedBuffer(utf8, 0, 4), false)), WAIT);
    Await.result(socket.ws.writeFrame(WebSocketFrame.continuationFrame(
        Buffer.buffer(java.util.Arrays.copyOfRange(utf8, 4, 6)), false)), WAIT);
    Await.result(socket.ws.writeFrame(WebSocketFrame.continuationFrame(
        Buffer.buffer(java.util.Arrays.copyOfRange(utf8, 6, utf8.length)), true)), WAIT);
    assertThat(socket.next()).isEqualTo("abc✓def");
    Await.result(socket.ws.writeFrame(WebSocketFrame.binaryFrame(Buffer.buffer("12"), false)), WAIT);
    Await.result(socket.ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("34"), true)), WAIT);
    assertThat(socket.next()).isEqualTo(Buffer.buffer("1234"));
    socket.ws.close();
  }

  @Test
  void aSixteenMegabyteFrameAgainstAOneMegabyteLimitClosesBothSidesWith1009() {
    ClientSockets.Socket socket = clients.connect("/small/one-frame");
    int id = lastHandshake("/small/one-frame").socketId();
    socket.ws.writeBinaryMessage(Buffer.buffer(new byte[16 << 20]));
    assertThat(socket.awaitClose().code()).isEqualTo((short) 1009);
    assertThat(closeOf(id).code()).as("the upstream learns why").isEqualTo(1009);
  }

  @Test
  void aSixteenMegabyteFragmentedMessageAgainstAOneMegabyteLimitClosesBothSidesWith1009() {
    ClientSockets.Socket socket = clients.connect("/small/fragments");
    int id = lastHandshake("/small/fragments").socketId();
    byte[] fragment = new byte[64 * 1024]; // 256 fragments (the echo peer takes frames up to 64 KiB)
    socket.ws.writeFrame(WebSocketFrame.binaryFrame(Buffer.buffer(fragment), false));
    for (int i = 1; i < 256 && !socket.closed.isDone(); i++) {
      socket.ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(fragment), i == 255));
    }
    ClientSockets.Closed closed = socket.awaitClose();
    assertThat(closed.code()).isEqualTo((short) 1009);
    assertThat(closed.reason()).contains("1048576");
    assertThat(closeOf(id).code()).isEqualTo(1009);
  }

  @Test
  void anUpstreamFrameOverTheListenersFrameCapClosesBothSidesWith1009() throws Exception {
    ClientSockets.Socket socket = clients.connect("/big-frame/x");
    assertThat(socket.next()).as("a greeting sent before the client's 101 is not lost").isEqualTo("hello");
    assertThat(socket.awaitClose().code()).isEqualTo((short) 1009);
    assertThat(bigFrameCloses.poll(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
        .as("close code the upstream got").isEqualTo((short) 1009);
  }

  @Test
  void invalidUtf8InATextMessageClosesWith1007() {
    ClientSockets.Socket socket = clients.connect("/echo/utf8");
    int id = lastHandshake("/echo/utf8").socketId();
    byte[] invalid = {'o', 'k', (byte) 0xc3, (byte) 0x28}; // 0xC3 must be followed by a continuation byte
    socket.ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(invalid), true));
    assertThat(socket.awaitClose().code()).isEqualTo((short) 1007);
    assertThat(closeOf(id).code()).isEqualTo(1007);
  }

  @Test
  void invalidUtf8SplitAcrossFragmentsClosesWith1007() {
    ClientSockets.Socket socket = clients.connect("/echo/utf8-fragments");
    socket.ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT,
        Unpooled.wrappedBuffer(new byte[] {'a', (byte) 0xe2}), false)); // valid so far: a 3-byte sequence begins
    socket.ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(new byte[] {'b'}), true));
    assertThat(socket.awaitClose().code()).isEqualTo((short) 1007);
  }

  @ParameterizedTest
  @ValueSource(ints = {1000, 1001, 1008, 1011, 4000})
  void anUpstreamsCloseCodeAndReasonReachTheClient(int code) {
    ClientSockets.Socket socket = clients.connect("/echo/close-" + code);
    socket.ws.writeTextMessage(WebSocketEchoPeer.CLOSE_COMMAND + " " + code + " reason " + code);
    ClientSockets.Closed closed = socket.awaitClose();
    assertThat(closed.code()).isEqualTo((short) code);
    assertThat(closed.reason()).isEqualTo("reason " + code);
  }

  @ParameterizedTest
  @ValueSource(ints = {1000, 1001, 1008, 1011, 4001})
  void aClientsCloseCodeAndReasonReachTheUpstream(int code) {
    ClientSockets.Socket socket = clients.connect("/echo/client-close-" + code);
    int id = lastHandshake("/echo/client-close-" + code).socketId();
    socket.ws.close((short) code, "bye " + code);
    WebSocketClose closed = closeOf(id);
    assertThat(closed.code()).isEqualTo(code);
    assertThat(closed.reason()).isEqualTo("bye " + code);
    assertThat(socket.awaitClose().code()).isEqualTo((short) code);
  }

  @Test
  void pingsAreAnsweredWithTheirPayload() {
    ClientSockets.Socket socket = clients.connect("/echo/ping");
    CompletableFuture<Buffer> pong = new CompletableFuture<>();
    socket.ws.pongHandler(pong::complete);
    socket.ws.writePing(Buffer.buffer("are you there"));
    assertThat(Await.result(io.vertx.core.Future.fromCompletionStage(pong), WAIT))
        .isEqualTo(Buffer.buffer("are you there"));
    assertThat(socket.echo("still relaying")).isEqualTo("still relaying");
    socket.ws.close();
  }

  @Test
  void anUnreachableUpstreamIsAProblemResponseBeforeTheUpgrade() {
    UpgradeRejectedException refused = clients.refused("/unreachable/x", null);
    assertProblem(refused.getStatus(), "upstream-unavailable", refused.getHeaders().get("Content-Type"),
        refused.getHeaders().get("X-Request-Id"), refused.getBody().toString());
  }

  @Test
  void aDeadTargetIsEjectedAndHandshakesGoToTheHealthyOne() {
    int failed = 0;
    for (int i = 0; i < 20; i++) {
      try {
        ClientSockets.Socket socket = clients.connect("/balanced/" + i);
        assertThat(socket.echo("n" + i)).isEqualTo("n" + i);
        socket.ws.close();
      } catch (RuntimeException e) {
        failed++;
      }
    }
    assertThat(failed).as("one failed handshake ejects the dead target (consecutiveFailures: 1)")
        .isLessThanOrEqualTo(1);
  }

  @Test
  void aHandshakeWithoutCredentialsIsRefusedWithAProblemBeforeTheUpgrade() {
    UpgradeRejectedException refused = clients.refused("/secure/x", null);
    assertProblem(refused.getStatus(), "unauthorized", refused.getHeaders().get("Content-Type"),
        refused.getHeaders().get("X-Request-Id"), refused.getBody().toString());
    assertThat(refused.getStatus()).isEqualTo(401);
  }

  @Test
  void aTokenInTheAuthorizationHeaderIsAccepted() {
    String token = idp.token().sub("alice").sign();
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer " + token);
    ClientSockets.Socket socket = clients.connect("/secure/header", headers, List.of());
    assertThat(socket.echo("hi")).isEqualTo("hi");
    socket.ws.close();
  }

  @Test
  void aTokenInTheQueryIsAcceptedAndNeverForwardedInTheQuery() {
    String token = idp.token().sub("alice").sign();
    ClientSockets.Socket socket = clients.connect("/secure/query?room=1&access_token=" + token + "&b=2");
    assertThat(socket.echo("hi")).isEqualTo("hi");
    WebSocketHandshake seen = lastHandshake("/secure/query");
    assertThat(seen.uri()).isEqualTo("/secure/query?room=1&b=2");
    assertThat(seen.header("Authorization")).isEqualTo("Bearer " + token);
    socket.ws.close();

    UpgradeRejectedException forged = clients.refused("/secure/query?access_token=forged.token.value", null);
    assertThat(forged.getStatus()).isEqualTo(401);
  }

  @Test
  void aPlainRequestOnTheRouteNeitherAuthenticatesWithNorForwardsTheQueryToken() {
    String token = idp.token().sub("alice").sign();
    var response = gateway.get("/secure/plain?access_token=" + token);
    assertProblem(response, 401, "unauthorized"); // the query token counts for upgrades only
    assertThat(gateway.get("/mixed/plain?room=1&access_token=" + token + "&x=2").statusCode()).isEqualTo(200);
    assertThat(httpUpstream.takeRequest(WAIT).uri()).isEqualTo("/mixed/plain?room=1&x=2");
  }

  @Test
  void aTokenInTheSubprotocolListIsAcceptedAndRemovedFromTheOffer() {
    String token = idp.token().sub("alice").sign();
    ClientSockets.Socket socket = clients.connect("/secure/subprotocol", null, List.of("bearer." + token, "chat"));
    assertThat(socket.ws.subProtocol()).isEqualTo("chat");
    assertThat(socket.echo("hi")).isEqualTo("hi");
    WebSocketHandshake seen = lastHandshake("/secure/subprotocol");
    assertThat(seen.header("Sec-WebSocket-Protocol")).isEqualTo("chat");
    assertThat(seen.header("Authorization")).isEqualTo("Bearer " + token);
    socket.ws.close();
  }

  @Test
  void connectionsBeyondThePerClientLimitAreRefusedWith503() {
    ClientSockets.Socket first = clients.connect("/limited/a");
    ClientSockets.Socket second = clients.connect("/limited/b");
    UpgradeRejectedException refused = clients.refused("/limited/c", null);
    assertProblem(refused.getStatus(), "concurrency-limited", refused.getHeaders().get("Content-Type"),
        refused.getHeaders().get("X-Request-Id"), refused.getBody().toString());
    first.ws.close();
    first.awaitClose();
    // The slot is released when the relay has ended on both sides.
    Await.until(() -> tryConnect("/limited/d"), WAIT, () -> "a closed socket's slot was never released");
    second.ws.close();
  }

  @Test
  void anIdleSocketIsClosedWith1001AfterTheRoutesIdleTimeoutButTrafficKeepsItOpen() throws Exception {
    ClientSockets.Socket busy = clients.connect("/idle/busy");
    ClientSockets.Socket quiet = clients.connect("/idle/quiet");
    long start = System.nanoTime();
    for (int i = 0; i < 8; i++) {
      assertThat(busy.echo("tick " + i)).isEqualTo("tick " + i);
      Thread.sleep(300);
    }
    ClientSockets.Closed closed = quiet.awaitClose();
    assertThat(closed.code()).isEqualTo((short) 1001);
    assertThat(closed.reason()).isEqualTo("idle timeout");
    assertThat(busy.closed).as("a socket with traffic every 300 ms outlives a 1 s idle timeout").isNotDone();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    busy.ws.close();
  }

  @Test
  void aSocketHeldBackByASlowReaderIsBusyNotIdle() throws Exception {
    ClientSockets.Socket socket = clients.connect("/idle/slow-reader");
    socket.ws.pause(); // stops reading: the gateway holds the upstream back, no frame moves for seconds
    CompletableFuture<Long> held = new CompletableFuture<>();
    vertx.runOnContext(v -> socket.pushUntilHeldBack(vertx, Buffer.buffer(new byte[64 * 1024]), 256L << 20,
        Duration.ofSeconds(2)).whenComplete((n, e) -> held.complete(n)));
    long accepted = held.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    Thread.sleep(1_500); // 3.5 s since frames stopped moving, against a 1 s idle timeout
    assertThat(socket.closed).as("held back by back-pressure, not idle").isNotDone();
    long[] received = {0};
    vertx.runOnContext(v -> {
      socket.ws.binaryMessageHandler(b -> received[0]++);
      received[0] += socket.pending();
      socket.ws.resume();
    });
    Await.until(() -> received[0] >= accepted / (64 * 1024), WAIT, () -> "echoes missing after resume");
    socket.ws.close();
  }

  @Test
  void messagesBytesOpenSocketsAndCloseCodesAreMeasuredPerRouteAndEachSocketIsLoggedOnce() {
    var sessions = new ListAppender<ILoggingEvent>();
    sessions.start();
    var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("tollgate.websocket");
    logger.addAppender(sessions);
    try {
      measuredAndLogged(sessions);
    } finally {
      logger.detachAppender(sessions);
    }
  }

  private void measuredAndLogged(ListAppender<ILoggingEvent> log) {
    ClientSockets.Socket socket = clients.connect("/metered/a");
    String requestId = socket.ws.headers().get("X-Request-Id");
    socket.echo("12345");
    socket.echo(Buffer.buffer("123"));
    PrometheusText open = scrape();
    assertThat(open.value("tollgate_websocket_connections_open", "route", "metered")).isEqualTo(1);
    assertThat(open.value("tollgate_websocket_messages_total", "route", "metered", "direction", "upstream"))
        .isEqualTo(2);
    assertThat(open.value("tollgate_websocket_bytes_total", "route", "metered", "direction", "upstream"))
        .isEqualTo(8);
    socket.ws.close((short) 4001, "done");
    socket.awaitClose();
    Await.until(() -> scrape().samples().stream().anyMatch(s -> s.name().equals("tollgate_websocket_closes_total")
            && "metered".equals(s.label("route")) && "4xxx".equals(s.label("code"))
            && "client".equals(s.label("initiator")) && s.value() == 1), WAIT,
        () -> "no close counted for route metered");
    assertThat(scrape().value("tollgate_websocket_connections_open", "route", "metered")).isZero();
    Await.until(() -> scrape().value("tollgate_websocket_messages_total", "route", "metered",
        "direction", "downstream") == 2, WAIT, () -> "echoes not counted downstream");
    Await.until(() -> sessionLine(log, requestId) != null, WAIT, () -> "no session log line for " + requestId);
    io.vertx.core.json.JsonObject line = sessionLine(log, requestId);
    assertThat(line.getString("route")).isEqualTo("metered");
    assertThat(line.getInteger("code")).isEqualTo(4001);
    assertThat(line.getString("initiator")).isEqualTo("client");
    assertThat(line.getLong("messagesUp")).isEqualTo(2);
    assertThat(line.getLong("bytesUp")).isEqualTo(8);
    assertThat(line.getLong("messagesDown")).isEqualTo(2);
    assertThat(line.encode()).as("close reasons are not logged").doesNotContain("done");
  }

  private static io.vertx.core.json.JsonObject sessionLine(
      ListAppender<ILoggingEvent> log, String requestId) {
    return List.copyOf(log.list).stream().map(e -> new io.vertx.core.json.JsonObject(e.getFormattedMessage()))
        .filter(json -> requestId.equals(json.getString("requestId"))).findFirst().orElse(null);
  }

  private static boolean tryConnect(String uri) {
    try {
      clients.connect(uri).ws.close();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static WebSocketHandshake lastHandshake(String path) {
    Await.until(() -> upstream.handshakes().stream().anyMatch(h -> h.path().equals(path)), WAIT,
        () -> "no handshake for " + path + " reached the upstream");
    List<WebSocketHandshake> all = upstream.handshakes();
    for (int i = all.size() - 1; i >= 0; i--) {
      if (all.get(i).path().equals(path)) {
        return all.get(i);
      }
    }
    throw new AssertionError("unreachable");
  }

  private static WebSocketClose closeOf(int socketId) {
    Await.until(() -> upstream.closes().stream().anyMatch(c -> c.socketId() == socketId), WAIT,
        () -> "upstream socket " + socketId + " did not close");
    return upstream.closes().stream().filter(c -> c.socketId() == socketId).findFirst().orElseThrow();
  }

  private static PrometheusText scrape() {
    return PrometheusText.parse(gateway.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + gateway.managementPort() + "/metrics")).timeout(WAIT).build()).body());
  }
}
