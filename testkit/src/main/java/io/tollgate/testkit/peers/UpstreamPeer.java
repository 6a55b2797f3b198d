package io.tollgate.testkit.peers;

import io.tollgate.testkit.vertx.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real upstream HTTP/1.1 server on {@code 127.0.0.1} (ephemeral port) that records what it receives and
 * answers as programmed — the peer behind the gateway in integration tests.
 *
 * <pre>{@code
 * try (UpstreamPeer upstream = UpstreamPeer.start(vertx)) {
 *   upstream.respondTo("/slow", Behaviour.ok().delayHeaders(Duration.ofSeconds(2)));
 *   // ... drive the gateway at upstream.baseUrl() ...
 *   RecordedRequest seen = upstream.takeRequest(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>Threads: {@link #start}, {@link #takeRequest}, {@link #awaitOpenConnections} and {@link #close} block
 * and must be called from test threads. Everything else is thread-safe and non-blocking; behaviours can be
 * changed while requests are in flight (each request uses the behaviour current when its headers arrived).
 *
 * <p>Recording: a request is recorded once its body has settled — fully read, or cut off by a failed or
 * closed connection ({@link RecordedRequest#aborted()}). Records therefore appear in completion order.
 * Expect-100 is answered automatically, as most real servers do. Every request is kept, so this peer suits
 * functional tests rather than load tests.
 */
public final class UpstreamPeer implements AutoCloseable {

  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration LIFECYCLE_TIMEOUT = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final String host;
  private final HttpServer server;
  private final List<RecordedRequest> recorded = new ArrayList<>();
  private final BlockingQueue<RecordedRequest> untaken = new LinkedBlockingQueue<>();
  private final Map<String, Behaviour> byPathPrefix = new ConcurrentHashMap<>();
  private final Map<HttpConnection, PeerConnection> connections = new ConcurrentHashMap<>();
  private final AtomicInteger openConnections = new AtomicInteger();
  private final AtomicInteger totalConnections = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Behaviour fallback = Behaviour.ok();

  private UpstreamPeer(Vertx vertx, String host) {
    this.vertx = vertx;
    this.host = host;
    HttpServerOptions options = new HttpServerOptions()
        .setHost(host)
        .setPort(0)
        .setHandle100ContinueAutomatically(true);
    this.server = vertx.createHttpServer(options)
        .connectionHandler(this::onConnection)
        .requestHandler(this::onRequest);
  }

  /**
   * Starts a peer answering {@link Behaviour#ok()} to everything.
   *
   * @throws IllegalStateException on an event-loop thread
   */
  public static UpstreamPeer start(Vertx vertx) {
    // The JVM's first MessageDigest lookup initialises JCA providers, which can stall for 100+ ms;
    // pay that here, on the test thread, not in the first request's event-loop task.
    DeterministicBytes.newSha256();
    return start(vertx, LOOPBACK, 0);
  }

  /**
   * Starts a peer on {@code host} (e.g. {@code 127.0.0.2}, also loopback on Linux) and {@code port} (0 = any free
   * one), so that several peers can share a port on different addresses — as the targets of one DNS name do.
   *
   * @throws IllegalStateException on an event-loop thread
   */
  public static UpstreamPeer start(Vertx vertx, String host, int port) {
    DeterministicBytes.newSha256();
    UpstreamPeer peer = new UpstreamPeer(vertx, host);
    Await.result(peer.server.listen(port, host), LIFECYCLE_TIMEOUT);
    return peer;
  }

  /**
   * Starts a {@link RawPeer}, for answers no HTTP server would send: garbage, arbitrary bytes, TCP resets.
   */
  public static RawPeer startRaw(Vertx vertx, RawBehaviour behaviour) {
    return RawPeer.start(vertx, behaviour);
  }

  /**
   * Answers requests that match no {@link #respondTo} prefix with {@code behaviour}.
   *
   * @throws IllegalArgumentException when the behaviour combines options that cannot be run
   */
  public UpstreamPeer respond(Behaviour behaviour) {
    behaviour.validate();
    fallback = behaviour;
    return this;
  }

  /**
   * Answers requests whose path starts with {@code pathPrefix} with {@code behaviour}; the longest matching
   * prefix wins, and setting a prefix again replaces its behaviour.
   */
  public UpstreamPeer respondTo(String pathPrefix, Behaviour behaviour) {
    behaviour.validate();
    byPathPrefix.put(pathPrefix, behaviour);
    return this;
  }

  /**
   * Forgets every recorded request and every behaviour (back to {@link Behaviour#ok()}), so a peer shared by a
   * test class starts each test clean. Connections stay open.
   */
  public UpstreamPeer reset() {
    synchronized (recorded) {
      recorded.clear();
      untaken.clear();
    }
    byPathPrefix.clear();
    fallback = Behaviour.ok();
    return this;
  }

  /** Every request recorded so far, in completion order; a snapshot. */
  public List<RecordedRequest> requests() {
    synchronized (recorded) {
      return List.copyOf(recorded);
    }
  }

  /** Number of requests recorded so far; equals {@code requests().size()}. */
  public int requestCount() {
    synchronized (recorded) {
      return recorded.size();
    }
  }

  /**
   * The oldest recorded request not yet taken, waiting up to {@code timeout} for one. Independent of
   * {@link #requests()}, which keeps everything.
   *
   * @throws AssertionError when none arrives in time
   */
  public RecordedRequest takeRequest(Duration timeout) {
    try {
      RecordedRequest request = untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (request == null) {
        throw new AssertionError("no request reached the upstream peer within " + timeout
            + " (" + requestCount() + " recorded so far)");
      }
      return request;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a request", e);
    }
  }

  /** TCP connections open right now. */
  public int openConnections() {
    return openConnections.get();
  }

  /** TCP connections accepted since start. */
  public int totalConnections() {
    return totalConnections.get();
  }

  /**
   * Waits until exactly {@code expected} connections are open — closes are seen asynchronously, so use this
   * rather than {@link #openConnections()} to assert that a client released its pool.
   *
   * @throws AssertionError when the count is still different after {@code timeout}
   */
  public void awaitOpenConnections(int expected, Duration timeout) {
    Await.until(() -> openConnections() == expected, timeout,
        () -> "expected " + expected + " open connections to the upstream peer, but " + openConnections() + " are open");
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code http://<host>:<port>} (host {@code 127.0.0.1} unless started on another), without a trailing slash. */
  public String baseUrl() {
    return "http://" + host + ":" + port();
  }

  /** Stops listening and closes open connections; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      Await.result(server.close(), LIFECYCLE_TIMEOUT);
    }
  }

  @Override
  public String toString() {
    return "UpstreamPeer[" + baseUrl() + "]";
  }

  private void onConnection(HttpConnection connection) {
    PeerConnection accepted = new PeerConnection(totalConnections.incrementAndGet());
    connections.put(connection, accepted);
    openConnections.incrementAndGet();
    connection.closeHandler(v -> {
      connections.remove(connection);
      openConnections.decrementAndGet();
      accepted.closed();
    });
  }

  private void onRequest(HttpServerRequest request) {
    // HTTP/1.x announces every connection before its first request; id 0 would mark one that slipped by.
    PeerConnection connection = connections.getOrDefault(request.connection(), new PeerConnection(0));
    RequestRecording recording = RequestRecording.start(request, connection, this::record);
    ResponseScript.run(vertx, request, behaviourFor(request.path()), recording);
  }

  private Behaviour behaviourFor(String path) {
    Behaviour chosen = fallback;
    int longest = -1;
    for (Map.Entry<String, Behaviour> route : byPathPrefix.entrySet()) {
      String prefix = route.getKey();
      if (path != null && path.startsWith(prefix) && prefix.length() > longest) {
        chosen = route.getValue();
        longest = prefix.length();
      }
    }
    return chosen;
  }

  private void record(RecordedRequest request) {
    synchronized (recorded) {
      recorded.add(request);
    }
    untaken.add(request);
  }

}
