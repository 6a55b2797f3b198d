package io.tollgate.testkit.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
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
class SsePeerTest {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Duration TICK = Duration.ofMillis(50);

  private Vertx vertx;
  private HttpClientAgent http;
  private SsePeer peer;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(BlockedThreadGuard.vertxOptions());
    http = vertx.createHttpClient();
    peer = SsePeer.start(vertx, SseScript.defaults().withInterval(TICK));
  }

  @AfterEach
  void stop() {
    peer.close();
    Await.result(http.close(), WAIT);
    Await.result(vertx.close(), WAIT);
  }

  @Test
  void streamsNumberedEventsOnATicker() throws Exception {
    long started = System.nanoTime();
    Stream stream = open("/events?topic=a", MultiMap.caseInsensitiveMultiMap().add("Accept", "text/event-stream"));

    List<SseEvent> events = stream.next(3);

    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    assertThat(stream.status).isEqualTo(200);
    assertThat(stream.headers.get("Content-Type")).isEqualTo("text/event-stream");
    assertThat(stream.headers.get("Cache-Control")).isEqualTo("no-cache");
    assertThat(events).containsExactly(
        new SseEvent("1", "tick", "tick 1"), new SseEvent("2", "tick", "tick 2"), new SseEvent("3", "tick", "tick 3"));
    assertThat(elapsed).isGreaterThanOrEqualTo(TICK.multipliedBy(3).minusMillis(10));
    SseRequest seen = peer.takeRequest(WAIT);
    assertThat(seen.uri()).isEqualTo("/events?topic=a");
    assertThat(seen.headers().get("accept")).isEqualTo("text/event-stream");
    assertThat(seen.lastEventId()).isNull();
    assertThat(seen.firstEventId()).isEqualTo(1);
    assertThat(peer.openStreams()).isEqualTo(1);
    assertThat(peer.eventsSent()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void resumesAfterTheLastEventIdAfterADropMidStream() throws Exception {
    Stream first = open("/events", MultiMap.caseInsensitiveMultiMap());
    List<SseEvent> before = first.next(2);

    assertThat(peer.dropStreams()).isEqualTo(1);

    assertThat(first.ended.get(5, TimeUnit.SECONDS)).startsWith("failed");
    peer.awaitOpenStreams(0, WAIT);
    // Reconnect as an EventSource does, with the last id it saw.
    Stream again = open("/events", MultiMap.caseInsensitiveMultiMap().add("Last-Event-ID", first.parser.lastEventId()));
    List<SseEvent> after = again.next(2);
    assertThat(before).extracting(SseEvent::id).containsExactly("1", "2");
    assertThat(after).containsExactly(new SseEvent("3", "tick", "tick 3"), new SseEvent("4", "tick", "tick 4"));
    assertThat(peer.requests()).extracting(SseRequest::lastEventId).containsExactly(null, "2");
    assertThat(peer.requests().get(1).firstEventId()).isEqualTo(3);
  }

  @Test
  void endsCleanlyAfterStopAfterEvents() throws Exception {
    peer.script(SseScript.defaults().withInterval(TICK).withEventName(null).withStopAfter(2).withRetry(Duration.ofMillis(250)));
    Stream stream = open("/", MultiMap.caseInsensitiveMultiMap());

    assertThat(stream.ended.get(5, TimeUnit.SECONDS)).isEqualTo("ended");

    assertThat(stream.events).containsExactly(new SseEvent("1", "message", "message 1"),
        new SseEvent("2", "message", "message 2"));
    assertThat(stream.parser.retryMillis()).isEqualTo(250);
    peer.awaitOpenStreams(0, WAIT);
  }

  @Test
  void endStreamsEndsOpenStreamsCleanly() throws Exception {
    Stream stream = open("/", MultiMap.caseInsensitiveMultiMap());
    stream.next(1);

    assertThat(peer.endStreams()).isEqualTo(1);

    assertThat(stream.ended.get(5, TimeUnit.SECONDS)).isEqualTo("ended");
    peer.awaitOpenStreams(0, WAIT);
  }

  @Test
  void refusesOtherMethods() {
    Integer status = Await.result(http.request(new RequestOptions().setMethod(HttpMethod.POST)
        .setHost("127.0.0.1").setPort(peer.port()).setURI("/"))
        .compose(request -> request.send().compose(response -> response.body().map(b -> response.statusCode()))),
        WAIT);

    assertThat(status).isEqualTo(405);
    assertThat(peer.takeRequest(WAIT).method()).isEqualTo("POST");
    assertThat(peer.openStreams()).isZero();
  }

  // --- helpers -------------------------------------------------------------------------------------------

  private Stream open(String uri, MultiMap headers) {
    Stream stream = new Stream();
    RequestOptions options = new RequestOptions().setHost("127.0.0.1").setPort(peer.port()).setURI(uri)
        .setHeaders(headers);
    // The body handler is set in the event-loop task that delivers the head, so no chunk can slip past.
    return Await.result(http.request(options).compose(request -> request.send().map(response -> {
      stream.status = response.statusCode();
      stream.headers = response.headers();
      response.handler(chunk -> stream.events.addAll(stream.parser.feed(chunk)));
      response.exceptionHandler(failure -> stream.ended.complete("failed: " + failure));
      response.endHandler(v -> stream.ended.complete("ended"));
      return stream;
    })), WAIT);
  }

  /** One SSE response being read; events are parsed on the event loop and queued for the test thread. */
  private static final class Stream {
    final SseParser parser = new SseParser();
    final BlockingQueue<SseEvent> events = new LinkedBlockingQueue<>();
    final CompletableFuture<String> ended = new CompletableFuture<>();
    volatile int status;
    volatile MultiMap headers;

    List<SseEvent> next(int count) throws InterruptedException {
      List<SseEvent> taken = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        SseEvent event = events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(event).as("event %d of %d within %s", i + 1, count, WAIT).isNotNull();
        taken.add(event);
      }
      return taken;
    }
  }
}
