package io.tollgate.testkit.peers;

import io.tollgate.testkit.vertx.Await;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
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
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real WebSocket server on {@code 127.0.0.1} (ephemeral port) that echoes every text and binary message on
 * any path, and records each handshake (for asserting what a gateway forwarded) and each close.
 *
 * <pre>{@code
 * try (WebSocketEchoPeer upstream = WebSocketEchoPeer.start(vertx, "graphql-ws")) {
 *   // ... open a WebSocket through the gateway to upstream.baseUrl() ...
 *   WebSocketHandshake seen = upstream.takeHandshake(Duration.ofSeconds(5));
 *   assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
 *   upstream.closeAll(4001, "upstream going away");   // does the client see 4001?
 * }
 * }</pre>
 *
 * <p>Echo: whole messages, as sent (fragmented messages are reassembled, up to 16 MiB), with backpressure: the
 * peer stops reading while its write queue is full. Pings are answered with pongs. A text message of the form
 * {@code tollgate:close <code> [reason]} is not echoed: the peer closes that socket with the code and reason,
 * so a client behind a gateway can trigger an upstream close of its own socket.
 *
 * <p>Subprotocols: with {@link #start(Vertx, String...)} the peer accepts those; from the ones a client offers
 * it selects the first it supports, in the client's order (Vert.x and Netty's rule). Offers it does not support
 * are answered without {@code Sec-WebSocket-Protocol}, which RFC 6455 §4.1 allows but the Vert.x 5 client
 * rejects ("Invalid subprotocol") — worth knowing when a gateway connects upstream with Vert.x.
 *
 * <p>Threads: {@link #start}, {@link #takeHandshake}, {@link #takeClose}, {@link #awaitOpenSockets} and
 * {@link #close} block and belong on test threads; everything else is thread-safe and non-blocking.
 */
public final class WebSocketEchoPeer implements AutoCloseable {

  /** Prefix of the in-band command that makes the peer close the socket it arrives on. */
  public static final String CLOSE_COMMAND = "tollgate:close";

  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration LIFECYCLE_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_MESSAGE_BYTES = 16 << 20;

  private final HttpServer server;
  private final List<WebSocketHandshake> handshakes = new ArrayList<>();
  private final BlockingQueue<WebSocketHandshake> untakenHandshakes = new LinkedBlockingQueue<>();
  private final List<WebSocketClose> closes = new ArrayList<>();
  private final BlockingQueue<WebSocketClose> untakenCloses = new LinkedBlockingQueue<>();
  private final Map<Integer, ServerWebSocket> open = new ConcurrentHashMap<>();
  private final AtomicInteger totalSockets = new AtomicInteger();
  private final AtomicLong messagesEchoed = new AtomicLong();
  private final AtomicBoolean closed = new AtomicBoolean();

  private WebSocketEchoPeer(Vertx vertx, List<String> subprotocols) {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(LOOPBACK)
        .setPort(0)
        .setMaxWebSocketMessageSize(MAX_MESSAGE_BYTES);
    if (!subprotocols.isEmpty()) {
      options.setWebSocketSubProtocols(subprotocols);
    }
    this.server = vertx.createHttpServer(options)
        .webSocketHandler(this::onWebSocket)
        // Plain HTTP requests get 426 Upgrade Required (RFC 9110 §15.5.22) rather than hanging.
        .requestHandler(request -> request.response().setStatusCode(426).putHeader("Upgrade", "websocket").end());
  }

  /** Starts an echo peer that selects no subprotocol. */
  public static WebSocketEchoPeer start(Vertx vertx) {
    return start(vertx, new String[0]);
  }

  /** Starts an echo peer that supports {@code subprotocols} (see the class comment for how it selects one). */
  public static WebSocketEchoPeer start(Vertx vertx, String... subprotocols) {
    WebSocketEchoPeer peer = new WebSocketEchoPeer(vertx, List.of(subprotocols));
    Await.result(peer.server.listen(0, LOOPBACK), LIFECYCLE_TIMEOUT);
    return peer;
  }

  /** Every handshake accepted so far, in order; a snapshot. */
  public List<WebSocketHandshake> handshakes() {
    synchronized (handshakes) {
      return List.copyOf(handshakes);
    }
  }

  /**
   * The oldest handshake not yet taken, waiting up to {@code timeout}.
   *
   * @throws AssertionError when none arrives in time
   */
  public WebSocketHandshake takeHandshake(Duration timeout) {
    return take(untakenHandshakes, timeout, "WebSocket handshake");
  }

  /** Every socket that ended so far, in the order they ended; a snapshot. */
  public List<WebSocketClose> closes() {
    synchronized (closes) {
      return List.copyOf(closes);
    }
  }

  /**
   * The oldest socket end not yet taken, waiting up to {@code timeout}.
   *
   * @throws AssertionError when none arrives in time
   */
  public WebSocketClose takeClose(Duration timeout) {
    return take(untakenCloses, timeout, "WebSocket close");
  }

  /**
   * Starts the closing handshake on every open socket with {@code code} and {@code reason} (RFC 6455 §7.4; the
   * reason at most 123 UTF-8 bytes) and returns how many were open. Does not wait: use
   * {@link #awaitOpenSockets}{@code (0, ...)} for that.
   */
  public int closeAll(int code, String reason) {
    List<ServerWebSocket> sockets = List.copyOf(open.values());
    sockets.forEach(socket -> socket.close((short) code, reason));
    return sockets.size();
  }

  /** WebSockets open right now. */
  public int openSockets() {
    return open.size();
  }

  /** WebSockets accepted since start. */
  public int totalSockets() {
    return totalSockets.get();
  }

  /** Messages echoed since start (text and binary, not commands). */
  public long messagesEchoed() {
    return messagesEchoed.get();
  }

  /**
   * Waits until exactly {@code expected} sockets are open (closes are seen asynchronously).
   *
   * @throws AssertionError when the count is still different after {@code timeout}
   */
  public void awaitOpenSockets(int expected, Duration timeout) {
    Await.until(() -> openSockets() == expected, timeout,
        () -> "expected " + expected + " open WebSockets on the echo peer, but " + openSockets() + " are open");
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code ws://127.0.0.1:<port>}, without a trailing slash. */
  public String baseUrl() {
    return "ws://" + LOOPBACK + ":" + port();
  }

  /** Stops listening and closes open sockets; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      Await.result(server.close(), LIFECYCLE_TIMEOUT);
    }
  }

  @Override
  public String toString() {
    return "WebSocketEchoPeer[" + baseUrl() + "]";
  }

  private void onWebSocket(ServerWebSocket socket) {
    int id = totalSockets.incrementAndGet();
    WebSocketHandshake handshake = new WebSocketHandshake(id, socket.uri(), socket.path(),
        MultiMap.caseInsensitiveMultiMap().addAll(socket.headers()), socket.subProtocol(), socket.remoteAddress());
    synchronized (handshakes) {
      handshakes.add(handshake);
    }
    untakenHandshakes.add(handshake);
    open.put(id, socket);
    socket.closeHandler(v -> onClosed(id, socket));
    socket.exceptionHandler(failure -> { }); // a reset socket still reaches the close handler
    socket.textMessageHandler(text -> {
      if (text.startsWith(CLOSE_COMMAND)) {
        closeOnCommand(socket, text.substring(CLOSE_COMMAND.length()).strip());
      } else {
        socket.writeTextMessage(text);
        echoed(socket);
      }
    });
    socket.binaryMessageHandler(bytes -> {
      socket.writeBinaryMessage(bytes);
      echoed(socket);
    });
  }

  private void echoed(ServerWebSocket socket) {
    messagesEchoed.incrementAndGet();
    if (socket.writeQueueFull()) {
      socket.pause();
      socket.drainHandler(v -> socket.resume());
    }
  }

  private static void closeOnCommand(ServerWebSocket socket, String arguments) {
    String[] parts = arguments.split(" ", 2);
    try {
      short code = parts[0].isEmpty() ? 1000 : Short.parseShort(parts[0]);
      socket.close(code, parts.length > 1 ? parts[1] : null);
    } catch (NumberFormatException e) {
      // RFC 6455 §7.4.1: 1008 is the generic "policy violation" for a message the endpoint cannot accept.
      socket.close((short) 1008, "bad close command");
    }
  }

  private void onClosed(int id, ServerWebSocket socket) {
    open.remove(id);
    Short code = socket.closeStatusCode();
    WebSocketClose ended = new WebSocketClose(id, code == null ? null : code.intValue(), socket.closeReason());
    synchronized (closes) {
      closes.add(ended);
    }
    untakenCloses.add(ended);
  }

  private static <T> T take(BlockingQueue<T> queue, Duration timeout, String what) {
    try {
      T item = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (item == null) {
        throw new AssertionError("no " + what + " reached the echo peer within " + timeout);
      }
      return item;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a " + what, e);
    }
  }

}
