package io.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.peers.SseEvent;
import io.tollgate.testkit.peers.SseParser;
import io.tollgate.testkit.peers.SsePeer;
import io.tollgate.testkit.peers.SseScript;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent events through the gateway with the test kit's SSE peer and a real Vert.x HTTP client: events are
 * flushed as they arrive, a stream outlives the response timeout, {@code timeouts.streamIdle} aborts a silent
 * stream, and a client that leaves cancels the upstream request.
 */
@ExtendWith(BlockedThreadGuard.class)
class StreamingIT {

  private static final Logger LOG = LoggerFactory.getLogger(StreamingIT.class);
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static Vertx vertx;
  private static SsePeer ticking;
  private static SsePeer silent;
  private static TestGateway gateway;
  private static HttpClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    // 15 events 200 ms apart: the stream lasts 3 s, three times the response timeout below.
    ticking = SsePeer.start(vertx, SseScript.defaults().withInterval(Duration.ofMillis(200)).withStopAfter(15));
    silent = SsePeer.start(vertx, SseScript.defaults().withInterval(Duration.ofSeconds(5)));
    gateway = TestGateway.start("""
        listener: { port: 0 }
        management: { enabled: false }
        services:
          ticking:
            targets: [ "${TICKING_URL}" ]
            timeouts: { response: 1s }
          silent:
            targets: [ "${SILENT_URL}" ]
        routes:
          - { id: events, path: /events/**, service: ticking, auth: public }
          - { id: idle-ticking, path: /idle-ticking/**, service: ticking, auth: public, timeouts: { streamIdle: 1s } }
          - { id: idle-silent, path: /idle-silent/**, service: silent, auth: public, timeouts: { streamIdle: 1s } }
        """, Map.of("TICKING_URL", ticking.baseUrl(), "SILENT_URL", silent.baseUrl()));
    client = vertx.createHttpClient();
  }

  @AfterAll
  static void stop() {
    client.close().await();
    gateway.close();
    ticking.close();
    silent.close();
    vertx.close().await();
  }

  @Test
  void eachEventIsDeliveredAsItArrivesAndTheStreamOutlivesTheResponseTimeout() {
    long start = System.nanoTime();
    Stream stream = open("/events/a");
    SseEvent first = stream.awaitEvents(1).get(0);
    long firstMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(first.data()).isEqualTo("tick 1");
    assertThat(ticking.openStreams()).as("the upstream is still streaming").isGreaterThanOrEqualTo(1);
    assertThat(stream.ended).as("the first event came before the upstream finished").isNotDone();
    Await.result(io.vertx.core.Future.fromCompletionStage(stream.ended), WAIT);
    long totalMs = (System.nanoTime() - start) / 1_000_000;
    LOG.info("SSE through the gateway: first event after {} ms (upstream's first at 200 ms), 15 events in {} ms",
        firstMs, totalMs);
    assertThat(stream.events).hasSize(15);
    assertThat(firstMs).isLessThan(totalMs - 1_500); // far from the end: not buffered until the upstream finished
  }

  @Test
  void aStreamWithTrafficOutlivesItsStreamIdleTimeout() {
    Stream stream = open("/idle-ticking/a");
    Await.result(io.vertx.core.Future.fromCompletionStage(stream.ended), WAIT);
    assertThat(stream.events).as("3 s of events every 200 ms under a 1 s stream idle timeout").hasSize(15);
  }

  @Test
  void aSilentStreamIsAbortedAfterItsStreamIdleTimeoutAndTheUpstreamRequestCancelled() {
    int before = silent.totalStreams();
    long start = System.nanoTime();
    Stream stream = open("/idle-silent/a");
    Throwable failure = Await.result(io.vertx.core.Future.fromCompletionStage(stream.ended)
        .transform(ar -> io.vertx.core.Future.succeededFuture(ar.cause())), WAIT);
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(failure).as("a broken stream, never a clean end").isNotNull();
    assertThat(stream.events).isEmpty();
    assertThat(tookMs).isBetween(900L, 4_500L);
    assertThat(silent.totalStreams()).isEqualTo(before + 1);
    silent.awaitOpenStreams(0, WAIT);
  }

  @Test
  void aStreamSilentLongerThanTheListenersIdleTimeoutLivesUpToItsStreamIdle() {
    // Events 2.5 s apart through a listener that closes connections idle for 1 s: the stream's silences are
    // bounded by streamIdle (10 s) instead; the connection's idle timeout is back once the stream has ended.
    SsePeer slow = SsePeer.start(vertx, SseScript.defaults().withInterval(Duration.ofMillis(2_500)).withStopAfter(2));
    try (TestGateway strict = TestGateway.start("""
        listener: { port: 0, idleTimeout: 1s }
        management: { enabled: false }
        services:
          slow: { targets: [ "${SLOW_URL}" ], timeouts: { streamIdle: 10s } }
        routes:
          - { id: slow, path: /slow/**, service: slow, auth: public }
        """, Map.of("SLOW_URL", slow.baseUrl()))) {
      Stream stream = open(strict.port(), "/slow/a");
      Await.result(io.vertx.core.Future.fromCompletionStage(stream.ended), WAIT);
      assertThat(stream.events).extracting(SseEvent::data).containsExactly("tick 1", "tick 2");
      long idleStart = System.nanoTime();
      Await.until(() -> closed(stream), WAIT,
          () -> "the kept-alive connection was never closed for idleness after the stream");
      assertThat(Duration.ofNanos(System.nanoTime() - idleStart)).isLessThan(Duration.ofSeconds(10));
    } finally {
      slow.close();
    }
  }

  private static boolean closed(Stream stream) {
    return stream.connectionClosed.isDone();
  }

  @Test
  void aClientThatLeavesCancelsTheUpstreamRequestPromptly() {
    Stream stream = open("/events/leaving");
    stream.awaitEvents(2);
    ticking.awaitOpenStreams(1, WAIT);
    long left = System.nanoTime();
    stream.response.request().connection().close();
    ticking.awaitOpenStreams(0, Duration.ofSeconds(5));
    LOG.info("SSE: the upstream stream ended {} ms after the client left", (System.nanoTime() - left) / 1_000_000);
    assertThat(ticking.eventsSent()).as("the upstream stopped before its 15th event").isLessThan(15L * 4);
  }

  private Stream open(String path) {
    return open(gateway.port(), path);
  }

  private Stream open(int port, String path) {
    // Handlers are set as the response arrives, on its event loop, so no chunk can come before them.
    Stream stream = Await.result(client.request(HttpMethod.GET, port, "127.0.0.1", path)
        .compose(req -> req.putHeader("Accept", "text/event-stream").send()).map(Stream::new), WAIT);
    assertThat(stream.response.statusCode()).isEqualTo(200);
    assertThat(stream.response.getHeader("Content-Type")).startsWith("text/event-stream");
    return stream;
  }

  /** One event stream as a client reads it. */
  private static final class Stream {
    final HttpClientResponse response;
    final List<SseEvent> events = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    final CompletableFuture<Void> connectionClosed = new CompletableFuture<>();

    Stream(HttpClientResponse response) {
      this.response = response;
      response.request().connection().closeHandler(v -> connectionClosed.complete(null));
      SseParser parser = new SseParser();
      response.handler(chunk -> events.addAll(parser.feed(chunk)));
      response.exceptionHandler(ended::completeExceptionally);
      response.endHandler(v -> ended.complete(null));
    }

    List<SseEvent> awaitEvents(int n) {
      Await.until(() -> events.size() >= n, WAIT, () -> "only " + events.size() + " of " + n + " events arrived");
      return events;
    }
  }
}
