package io.tollgate.testkit.peers;

import io.tollgate.testkit.vertx.Await;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real server-sent-events upstream on {@code 127.0.0.1} (ephemeral port): every {@code GET}, on any path,
 * opens a {@code text/event-stream} that emits numbered events on a ticker (see {@link SseScript}) and resumes
 * after the client's {@code Last-Event-ID}.
 *
 * <pre>{@code
 * try (SsePeer upstream = SsePeer.start(vertx, SseScript.defaults().withInterval(Duration.ofMillis(50)))) {
 *   // ... read the stream through the gateway, then:
 *   upstream.dropStreams();                         // mid-stream: the client should reconnect...
 *   SseRequest again = upstream.takeRequest(...);   // ...skip the first, take the reconnect
 *   assertThat(again.lastEventId()).isEqualTo("3");
 * }
 * }</pre>
 *
 * <p>Response: 200, {@code Content-Type: text/event-stream}, {@code Cache-Control: no-cache}, chunked; the head
 * is flushed at once, before the first event. Other methods get 405. A stream ends after
 * {@link SseScript#stopAfter()} events (cleanly), on {@link #endStreams()} (cleanly), on {@link #dropStreams()}
 * (the connection closes mid-stream) or when the client goes away.
 *
 * <p>Threads: {@link #start}, {@link #takeRequest}, {@link #awaitOpenStreams} and {@link #close} block and
 * belong on test threads; everything else is thread-safe and non-blocking.
 */
public final class SsePeer implements AutoCloseable {

  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration LIFECYCLE_TIMEOUT = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final HttpServer server;
  private final List<SseRequest> recorded = new ArrayList<>();
  private final BlockingQueue<SseRequest> untaken = new LinkedBlockingQueue<>();
  private final Map<Integer, Stream> open = new ConcurrentHashMap<>();
  private final AtomicInteger totalStreams = new AtomicInteger();
  private final AtomicLong eventsSent = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile SseScript script;

  /** One open stream; its response is written only on {@code context}, its connection's event loop. */
  private record Stream(HttpServerRequest request, Context context) {}

  private SsePeer(Vertx vertx, SseScript script) {
    this.vertx = vertx;
    this.script = script;
    this.server = vertx.createHttpServer(new HttpServerOptions().setHost(LOOPBACK).setPort(0))
        .requestHandler(this::onRequest);
  }

  /** Starts a peer with {@link SseScript#defaults()}. */
  public static SsePeer start(Vertx vertx) {
    return start(vertx, SseScript.defaults());
  }

  public static SsePeer start(Vertx vertx, SseScript script) {
    SsePeer peer = new SsePeer(vertx, Objects.requireNonNull(script, "script"));
    Await.result(peer.server.listen(0, LOOPBACK), LIFECYCLE_TIMEOUT);
    return peer;
  }

  /** Uses {@code next} for streams opened from now on; open streams keep theirs. */
  public SsePeer script(SseScript next) {
    this.script = Objects.requireNonNull(next, "next");
    return this;
  }

  /** Every request received so far, in arrival order; a snapshot. */
  public List<SseRequest> requests() {
    synchronized (recorded) {
      return List.copyOf(recorded);
    }
  }

  /**
   * The oldest request not yet taken, waiting up to {@code timeout} for one.
   *
   * @throws AssertionError when none arrives in time
   */
  public SseRequest takeRequest(Duration timeout) {
    try {
      SseRequest request = untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (request == null) {
        throw new AssertionError("no request reached the SSE peer within " + timeout);
      }
      return request;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a request", e);
    }
  }

  /** Closes the connection of every open stream without ending its body — a mid-stream drop; returns how many. */
  public int dropStreams() {
    List<Stream> streams = List.copyOf(open.values());
    streams.forEach(stream -> stream.request().connection().close());
    return streams.size();
  }

  /** Ends every open stream cleanly (the last chunk), keeping connections open; returns how many. */
  public int endStreams() {
    List<Stream> streams = List.copyOf(open.values());
    // On the stream's own event loop, so the end cannot interleave with a tick's write.
    streams.forEach(stream -> stream.context().runOnContext(v -> {
      if (!stream.request().response().ended()) {
        stream.request().response().end();
      }
    }));
    return streams.size();
  }

  /** Streams open right now. */
  public int openStreams() {
    return open.size();
  }

  /** Streams opened since start. */
  public int totalStreams() {
    return totalStreams.get();
  }

  /** Events written since start, over all streams. */
  public long eventsSent() {
    return eventsSent.get();
  }

  /**
   * Waits until exactly {@code expected} streams are open (ends are seen asynchronously).
   *
   * @throws AssertionError when the count is still different after {@code timeout}
   */
  public void awaitOpenStreams(int expected, Duration timeout) {
    Await.until(() -> openStreams() == expected, timeout,
        () -> "expected " + expected + " open SSE streams, but " + openStreams() + " are open");
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  public String baseUrl() {
    return "http://" + LOOPBACK + ":" + port();
  }

  /** Stops listening and closes open streams; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      Await.result(server.close(), LIFECYCLE_TIMEOUT);
    }
  }

  @Override
  public String toString() {
    return "SsePeer[" + baseUrl() + ", " + script + "]";
  }

  private void onRequest(HttpServerRequest request) {
    int id = totalStreams.incrementAndGet();
    String lastEventId = request.getHeader("Last-Event-ID");
    boolean get = request.method() == HttpMethod.GET;
    long firstEventId = get ? resumeAfter(lastEventId) + 1 : 0;
    record(new SseRequest(id, request.method().name(), request.uri(),
        MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), lastEventId, firstEventId,
        request.remoteAddress()));
    if (!get) {
      request.response().setStatusCode(405).putHeader("Allow", "GET").end();
      return;
    }
    SseScript current = script;
    HttpServerResponse response = request.response()
        .setChunked(true)
        .putHeader("Content-Type", "text/event-stream")
        .putHeader("Cache-Control", "no-cache");
    if (current.retry() != null) {
      response.write("retry: " + current.retry().toMillis() + "\n\n");
    } else {
      response.writeHead();
    }
    long[] next = {firstEventId};
    long timerId = vertx.setPeriodic(current.interval().toMillis(), tick -> {
      if (response.ended() || response.closed()) {
        return;
      }
      response.write(current.event(next[0]++));
      eventsSent.incrementAndGet();
      if (current.stopAfter() > 0 && next[0] - firstEventId >= current.stopAfter()) {
        response.end();
      }
    });
    open.put(id, new Stream(request, Vertx.currentContext()));
    response.closeHandler(v -> finished(id, timerId));
    response.endHandler(v -> finished(id, timerId));
  }

  private void finished(int id, long timerId) {
    vertx.cancelTimer(timerId);
    open.remove(id);
  }

  private void record(SseRequest request) {
    synchronized (recorded) {
      recorded.add(request);
    }
    untaken.add(request);
  }

  /** The numeric {@code Last-Event-ID}, or 0 when absent or not a number this peer could have sent. */
  private static long resumeAfter(String lastEventId) {
    if (lastEventId == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(lastEventId.strip()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
