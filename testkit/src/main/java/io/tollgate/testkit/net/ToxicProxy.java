package io.tollgate.testkit.net;

import io.tollgate.testkit.vertx.Await;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on {@code 127.0.0.1} (ephemeral port) in front of a target, with faults that can be switched while
 * traffic flows — for testing how a gateway copes with a slow, resetting, silent or absent upstream.
 *
 * <pre>{@code
 * try (UpstreamPeer upstream = UpstreamPeer.start(vertx);
 *      ToxicProxy toxic = ToxicProxy.start(vertx, upstream.port())) {
 *   // point the gateway's route at toxic.port() instead of upstream.port()
 *   toxic.latency(Duration.ofMillis(300));  // each chunk waits 300 ms, both ways
 *   toxic.blackHole();                      // bytes vanish: the gateway's timeout should fire
 *   toxic.reset();                          // next byte either way aborts the connection with RST
 *   toxic.disable();                        // connection refused until enable()
 * }
 * }</pre>
 *
 * <p>Modes apply to each chunk when it arrives, so a switch affects open connections too:
 * <ul>
 *   <li>{@link #passThrough()} (the default): relay as is.
 *   <li>{@link #latency(Duration)}: each chunk, either direction, is written that long after it arrived; order is
 *       kept, and a close is passed on with the same delay.
 *   <li>{@link #reset()}: the first chunk from either side aborts both connections with TCP RST (SO_LINGER 0).
 *   <li>{@link #blackHole()}: chunks are read and discarded, connections stay open. A connection accepted in this
 *       mode never reaches the target, and stays a black hole whatever the mode later.
 * </ul>
 * A close from either side is passed on (as a full close: Vert.x has no half-close) once pending chunks were
 * written. If the target cannot be reached, the client connection is reset.
 *
 * <p>Threads: {@link #start}, {@link #disable}, {@link #enable}, {@link #awaitOpenConnections} and {@link #close}
 * block and belong on test threads; everything else is thread-safe and non-blocking.
 */
public final class ToxicProxy implements AutoCloseable {

  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration LIFECYCLE_TIMEOUT = Duration.ofSeconds(10);
  private static final int CONNECT_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final String targetHost;
  private final int targetPort;
  private final NetClient targets;
  private final Map<Integer, ProxyLink> open = new ConcurrentHashMap<>();
  private final AtomicInteger totalConnections = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Toxic toxic = Toxic.PASS_THROUGH;
  private volatile NetServer server;
  private volatile int port;

  private ToxicProxy(Vertx vertx, String targetHost, int targetPort) {
    this.vertx = vertx;
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.targets = vertx.createNetClient(new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS)
        .setTcpNoDelay(true));
  }

  /** Starts a pass-through proxy to {@code 127.0.0.1:targetPort}. */
  public static ToxicProxy start(Vertx vertx, int targetPort) {
    return start(vertx, LOOPBACK, targetPort);
  }

  /** Starts a pass-through proxy to {@code targetHost:targetPort}. The target is not contacted until a client connects. */
  public static ToxicProxy start(Vertx vertx, String targetHost, int targetPort) {
    ToxicProxy proxy = new ToxicProxy(vertx, Objects.requireNonNull(targetHost, "targetHost"), targetPort);
    proxy.listen(0);
    return proxy;
  }

  /** Relays bytes unchanged (the default). */
  public ToxicProxy passThrough() {
    toxic = Toxic.PASS_THROUGH;
    return this;
  }

  /** Delays every chunk by {@code perChunk}, in both directions, keeping order. */
  public ToxicProxy latency(Duration perChunk) {
    toxic = Toxic.latency(perChunk);
    return this;
  }

  /** Aborts (RST to both sides) every connection on its next chunk from either side. */
  public ToxicProxy reset() {
    toxic = Toxic.RESET;
    return this;
  }

  /** Reads and discards every chunk; new connections are not relayed to the target at all. */
  public ToxicProxy blackHole() {
    toxic = Toxic.BLACK_HOLE;
    return this;
  }

  /** Aborts every open connection now with RST to both sides, whatever the mode; returns how many. */
  public int resetOpenConnections() {
    List<ProxyLink> links = List.copyOf(open.values());
    links.forEach(ProxyLink::reset);
    return links.size();
  }

  /**
   * Stops listening, so connects are refused, and closes open connections (FIN to both sides). Idempotent; the
   * mode is kept for {@link #enable()}.
   */
  public ToxicProxy disable() {
    NetServer listening = server;
    if (listening != null) {
      server = null;
      Await.result(listening.close(), LIFECYCLE_TIMEOUT);
      ListeningPorts.awaitClosed(port, LIFECYCLE_TIMEOUT);
    }
    return this;
  }

  /**
   * Listens again on the same port after {@link #disable()}; idempotent. Another process could in theory take the
   * port meanwhile, and then this fails.
   */
  public ToxicProxy enable() {
    if (server == null) {
      listen(port);
    }
    return this;
  }

  /** Whether the proxy accepts connections. */
  public boolean enabled() {
    return server != null;
  }

  /** Client connections open right now. */
  public int openConnections() {
    return open.size();
  }

  /** Client connections accepted since start. */
  public int totalConnections() {
    return totalConnections.get();
  }

  /**
   * Waits until exactly {@code expected} client connections are open.
   *
   * @throws AssertionError when the count is still different after {@code timeout}
   */
  public void awaitOpenConnections(int expected, Duration timeout) {
    Await.until(() -> openConnections() == expected, timeout,
        () -> "expected " + expected + " open connections through the proxy, but " + openConnections() + " are open");
  }

  /** The port clients connect to; unchanged by {@link #disable()} and {@link #enable()}. */
  public int port() {
    return port;
  }

  public String host() {
    return LOOPBACK;
  }

  /** {@code http://127.0.0.1:<port>}, for proxying an HTTP target. */
  public String baseUrl() {
    return "http://" + LOOPBACK + ":" + port;
  }

  /** Stops listening, closes open connections and the client to the target; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      disable();
      Await.result(targets.close(), LIFECYCLE_TIMEOUT);
    }
  }

  @Override
  public String toString() {
    return "ToxicProxy[" + LOOPBACK + ":" + port + " -> " + targetHost + ":" + targetPort + ", " + toxic + "]";
  }

  private void listen(int wantedPort) {
    NetServer fresh = vertx.createNetServer(new NetServerOptions().setHost(LOOPBACK).setTcpNoDelay(true))
        .connectHandler(this::onConnection);
    Await.result(fresh.listen(wantedPort, LOOPBACK), LIFECYCLE_TIMEOUT);
    port = fresh.actualPort();
    server = fresh;
  }

  private void onConnection(NetSocket client) {
    int id = totalConnections.incrementAndGet();
    ProxyLink link = new ProxyLink(vertx, client, () -> toxic, () -> open.remove(id));
    open.put(id, link);
    link.start(targets, targetHost, targetPort);
  }
}
