package io.tollgate.testkit.peers;

import io.netty.channel.ChannelOption;
import io.tollgate.testkit.vertx.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP peer on {@code 127.0.0.1} (ephemeral port) that speaks just enough HTTP to wait for a request head,
 * then answers with a {@link RawBehaviour}: garbage, hand-written bytes, FIN or RST. Use it where
 * {@link UpstreamPeer} is too well-behaved — framing, smuggling and upstream-failure tests.
 *
 * <p>It acts once per connection, on the first request head; later bytes are read and ignored. Request
 * bodies are not parsed. Threads: {@link #start}, {@link #takeRequestHead} and {@link #close} block and
 * belong on test threads; the rest is thread-safe.
 */
public final class RawPeer implements AutoCloseable {

  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration LIFECYCLE_TIMEOUT = Duration.ofSeconds(10);
  private static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final String END_OF_HEAD = "\r\n\r\n";

  private final Vertx vertx;
  private final NetServer server;
  private final List<String> heads = new ArrayList<>();
  private final BlockingQueue<String> untaken = new LinkedBlockingQueue<>();
  private final AtomicInteger openConnections = new AtomicInteger();
  private final AtomicInteger totalConnections = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile RawBehaviour behaviour;

  private RawPeer(Vertx vertx, RawBehaviour behaviour) {
    this.vertx = vertx;
    this.behaviour = behaviour;
    this.server = vertx.createNetServer(new NetServerOptions().setHost(LOOPBACK).setPort(0))
        .connectHandler(this::onConnection);
  }

  /** Starts a peer; see {@link UpstreamPeer#startRaw}. */
  public static RawPeer start(Vertx vertx, RawBehaviour behaviour) {
    RawPeer peer = new RawPeer(vertx, behaviour);
    Await.result(peer.server.listen(0, LOOPBACK), LIFECYCLE_TIMEOUT);
    return peer;
  }

  /** Answers connections whose request head arrives from now on with {@code behaviour}. */
  public RawPeer respond(RawBehaviour behaviour) {
    this.behaviour = behaviour;
    return this;
  }

  /**
   * Request heads received so far (request line and header lines, CRLF-separated, without the empty line),
   * decoded as ISO-8859-1 so every byte survives; a snapshot.
   */
  public List<String> requestHeads() {
    synchronized (heads) {
      return List.copyOf(heads);
    }
  }

  /**
   * The oldest request head not yet taken, waiting up to {@code timeout}.
   *
   * @throws AssertionError when none arrives in time
   */
  public String takeRequestHead(Duration timeout) {
    try {
      String head = untaken.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      if (head == null) {
        throw new AssertionError("no request head reached the raw peer within " + timeout);
      }
      return head;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a request head", e);
    }
  }

  public int openConnections() {
    return openConnections.get();
  }

  public int totalConnections() {
    return totalConnections.get();
  }

  public int port() {
    return server.actualPort();
  }

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  public String baseUrl() {
    return "http://" + LOOPBACK + ":" + port();
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
    return "RawPeer[" + baseUrl() + ", " + behaviour + "]";
  }

  private void onConnection(NetSocket socket) {
    totalConnections.incrementAndGet();
    openConnections.incrementAndGet();
    socket.closeHandler(v -> openConnections.decrementAndGet());
    Buffer received = Buffer.buffer();
    socket.handler(chunk -> {
      received.appendBuffer(chunk);
      String text = received.toString(StandardCharsets.ISO_8859_1);
      int end = text.indexOf(END_OF_HEAD);
      if (end >= 0 || received.length() > MAX_HEAD_BYTES) {
        socket.handler(ignored -> {});
        onHead(socket, end >= 0 ? text.substring(0, end) : text);
      }
    });
  }

  private void onHead(NetSocket socket, String head) {
    synchronized (heads) {
      heads.add(head);
    }
    untaken.add(head);
    RawBehaviour current = behaviour;
    delay(current.delay())
        .compose(v -> current.reply().length() > 0 ? socket.write(current.reply()) : Future.succeededFuture())
        .onComplete(written -> end(socket, current.ending()));
  }

  private static void end(NetSocket socket, RawBehaviour.Ending ending) {
    switch (ending) {
      case CLOSE -> socket.close();
      case RESET -> {
        // Vert.x exposes no per-socket SO_LINGER; NetSocketInternal is the extension point its own clients
        // use. Linger 0 makes close() send RST instead of FIN.
        ((NetSocketInternal) socket).channelHandlerContext().channel().config()
            .setOption(ChannelOption.SO_LINGER, 0);
        socket.close();
      }
      case KEEP_OPEN -> { }
    }
  }

  private Future<Void> delay(Duration delay) {
    if (delay.isZero()) {
      return Future.succeededFuture();
    }
    return vertx.timer(Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
  }
}
