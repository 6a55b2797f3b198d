package io.tollgate.testkit.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.testkit.http.RawHttpClient;
import io.tollgate.testkit.http.RawResponse;
import io.tollgate.testkit.peers.Behaviour;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.RequestOptions;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BlockedThreadGuard.class)
class ToxicProxyTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String GET = "GET /item HTTP/1.1\r\nHost: upstream\r\n\r\n";

  private Vertx vertx;
  private UpstreamPeer upstream;
  private ToxicProxy proxy;
  private HttpClientAgent http;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(BlockedThreadGuard.vertxOptions());
    upstream = UpstreamPeer.start(vertx).respond(Behaviour.ok().body("hello"));
    proxy = ToxicProxy.start(vertx, upstream.port());
    // A fresh connection per request, so each one crosses the proxy's accept path.
    http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
  }

  @AfterEach
  void stop() {
    Await.result(http.close(), WAIT);
    proxy.close();
    upstream.close();
    Await.result(vertx.close(), WAIT);
  }

  @Test
  void passesRequestsAndResponsesThrough() {
    assertThat(get("/item?x=1")).isEqualTo("200 hello");

    assertThat(upstream.takeRequest(WAIT).uri()).isEqualTo("/item?x=1");
    assertThat(proxy.totalConnections()).isEqualTo(1);
    proxy.awaitOpenConnections(0, WAIT);
    upstream.awaitOpenConnections(0, WAIT);
  }

  @Test
  void latencyDelaysEveryChunkInBothDirectionsAndCanBeSwitchedOff() {
    get("/warm-up");
    Duration direct = timed(() -> get("/item"));

    proxy.latency(Duration.ofMillis(200));
    Duration delayed = timed(() -> assertThat(get("/item")).isEqualTo("200 hello"));

    proxy.passThrough();
    Duration restored = timed(() -> get("/item"));

    // One request chunk up, one response chunk down: 2 x 200 ms on top of the direct time.
    assertThat(delayed).isGreaterThanOrEqualTo(Duration.ofMillis(400)).isLessThan(Duration.ofSeconds(3));
    assertThat(delayed.minus(direct)).isGreaterThanOrEqualTo(Duration.ofMillis(350));
    assertThat(restored).isLessThan(Duration.ofMillis(300));
    assertThat(proxy.totalConnections()).isEqualTo(4);
  }

  @Test
  void resetModeAbortsTheConnectionWithAnRst() throws Exception {
    proxy.reset();

    try (RawHttpClient client = RawHttpClient.connect("127.0.0.1", proxy.port())) {
      client.send(GET);
      assertThatThrownBy(() -> client.readResponse(WAIT))
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
    }
    assertThat(upstream.requestCount()).isZero();
    upstream.awaitOpenConnections(0, WAIT);
  }

  @Test
  void resetIsAnErrorForAVertxClientNotATimeout() {
    proxy.reset();

    assertThatThrownBy(() -> get("/item"))
        .isNotInstanceOf(AssertionError.class)
        .satisfies(failure -> assertThat(failure).rootCause().isNotInstanceOf(TimeoutException.class));
  }

  @Test
  void resetOpenConnectionsAbortsIdleKeepAliveConnections() throws Exception {
    try (RawHttpClient client = RawHttpClient.connect("127.0.0.1", proxy.port())) {
      RawResponse first = client.send(GET).readResponse(WAIT);
      assertThat(first.status()).isEqualTo(200);

      assertThat(proxy.resetOpenConnections()).isEqualTo(1);

      proxy.awaitOpenConnections(0, WAIT);
      assertThatThrownBy(() -> client.send(GET).readResponse(WAIT)).isInstanceOf(SocketException.class);
    }
    upstream.awaitOpenConnections(0, WAIT);
  }

  @Test
  void blackHoleSwallowsTheRequestAndTheClientTimesOut() throws Exception {
    proxy.blackHole();

    try (RawHttpClient client = RawHttpClient.connect("127.0.0.1", proxy.port())) {
      client.send(GET);
      assertThatThrownBy(() -> client.readResponse(Duration.ofMillis(300)))
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(proxy.openConnections()).isEqualTo(1);
    }
    RequestOptions withTimeout = new RequestOptions().setHost("127.0.0.1").setPort(proxy.port()).setURI("/item")
        .setIdleTimeout(300);
    assertThatThrownBy(() -> Await.result(http.request(withTimeout).compose(r -> r.send()), WAIT))
        .hasRootCauseInstanceOf(TimeoutException.class);
    assertThat(upstream.totalConnections()).isZero();
    assertThat(proxy.totalConnections()).isEqualTo(2);
  }

  @Test
  void blackHoleOnAnOpenConnectionDiscardsWhatFollows() throws Exception {
    try (RawHttpClient client = RawHttpClient.connect("127.0.0.1", proxy.port())) {
      assertThat(client.send(GET).readResponse(WAIT).status()).isEqualTo(200);

      proxy.blackHole();

      client.send(GET);
      assertThatThrownBy(() -> client.readResponse(Duration.ofMillis(300)))
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(upstream.requestCount()).isEqualTo(1);
      assertThat(upstream.openConnections()).isEqualTo(1);
    }
  }

  @Test
  void disableRefusesConnectionsUntilEnabled() throws Exception {
    int port = proxy.port();
    try (RawHttpClient open = RawHttpClient.connect("127.0.0.1", port)) {
      assertThat(open.send(GET).readResponse(WAIT).status()).isEqualTo(200);

      proxy.disable();

      assertThat(open.isClosedByPeer(WAIT)).isTrue();
    }
    assertThat(proxy.enabled()).isFalse();
    assertThatThrownBy(() -> RawHttpClient.connect("127.0.0.1", port)).isInstanceOf(ConnectException.class);

    proxy.enable();

    assertThat(proxy.port()).isEqualTo(port);
    assertThat(get("/again")).isEqualTo("200 hello");
    assertThat(proxy.totalConnections()).isEqualTo(2);
  }

  @Test
  void anUnreachableTargetResetsTheClient() {
    int deadPort = FreePorts.next();
    try (ToxicProxy nowhere = ToxicProxy.start(vertx, deadPort)) {
      // The RST can beat the request, or even the end of the client's connect, so any step may fail.
      assertThatThrownBy(() -> {
        try (RawHttpClient client = RawHttpClient.connect("127.0.0.1", nowhere.port())) {
          client.send(GET).readResponse(WAIT);
        }
      }).isInstanceOf(SocketException.class).hasMessageContaining("reset");
      assertThat(nowhere.totalConnections()).isEqualTo(1);
    }
  }

  // --- helpers -------------------------------------------------------------------------------------------

  private String get(String uri) {
    RequestOptions options = new RequestOptions().setHost("127.0.0.1").setPort(proxy.port()).setURI(uri);
    return Await.result(http.request(options).compose(request -> request.send().compose(response ->
        response.body().map(body -> response.statusCode() + " " + body))), WAIT);
  }

  private static Duration timed(Runnable action) {
    long started = System.nanoTime();
    action.run();
    return Duration.ofNanos(System.nanoTime() - started);
  }
}
