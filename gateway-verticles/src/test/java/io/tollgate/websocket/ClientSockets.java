package io.tollgate.websocket;

import io.tollgate.testkit.vertx.Await;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client (Vert.x) aimed at a gateway, for tests: connects, records whole messages and how the
 * socket ended. Blocking methods belong on test threads.
 */
public final class ClientSockets implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(20);

  private final WebSocketClient client;
  private final int port;

  public ClientSockets(Vertx vertx, int port) {
    this.port = port;
    this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
        .setMaxFrameSize(32 << 20).setMaxMessageSize(32 << 20).setMaxConnections(5_000));
  }

  Future<Socket> connectAsync(String uri, MultiMap headers, List<String> subprotocols) {
    WebSocketConnectOptions options = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI(uri)
        .setSubProtocols(subprotocols).setTimeout(WAIT.toMillis());
    if (headers != null) {
      options.setHeaders(headers);
    }
    return client.connect(options).map(Socket::new);
  }

  public Socket connect(String uri) {
    return connect(uri, null, List.of());
  }

  public Socket connect(String uri, MultiMap headers, List<String> subprotocols) {
    return Await.result(connectAsync(uri, headers, subprotocols), WAIT);
  }

  /** The upgrade refusal (status, headers, body) of a handshake that must fail. */
  public UpgradeRejectedException refused(String uri, MultiMap headers) {
    try {
      connect(uri, headers, List.of());
    } catch (RuntimeException e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof UpgradeRejectedException rejected) {
          return rejected;
        }
      }
      throw e;
    }
    throw new AssertionError("the handshake for " + uri + " succeeded");
  }

  @Override
  public void close() {
    Await.result(client.close(), WAIT);
  }

  /** How a socket ended: the close frame's code and reason ({@code null} code: no close frame). */
  public record Closed(Short code, String reason) {
  }

  /** One open client socket. */
  public static final class Socket {
    final WebSocket ws;
    private final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
    public final CompletableFuture<Closed> closed = new CompletableFuture<>();

    Socket(WebSocket ws) {
      this.ws = ws;
      ws.textMessageHandler(messages::add);
      ws.binaryMessageHandler(messages::add);
      ws.exceptionHandler(e -> { });
      ws.closeHandler(v -> closed.complete(new Closed(ws.closeStatusCode(), ws.closeReason())));
    }

    /** The next whole message (String or Buffer). */
    Object next() {
      try {
        Object m = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
          throw new AssertionError("no message within " + WAIT);
        }
        return m;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    public String echo(String text) {
      Await.result(ws.writeTextMessage(text), WAIT);
      return (String) next();
    }

    Buffer echo(Buffer bytes) {
      Await.result(ws.writeBinaryMessage(bytes), WAIT);
      return (Buffer) next();
    }

    /** Messages received and not yet taken. */
    int pending() {
      return messages.size();
    }

    /**
     * Writes {@code chunk} as binary messages until {@code total} bytes, or until the write queue has stayed full for
     * {@code heldBack} (back-pressure holds); completes with the bytes written. Call on the socket's context.
     */
    CompletableFuture<Long> pushUntilHeldBack(Vertx vertx, Buffer chunk, long total, Duration heldBack) {
      CompletableFuture<Long> done = new CompletableFuture<>();
      push(vertx, chunk, total, heldBack.toMillis(), new long[1], done);
      return done;
    }

    private void push(Vertx vertx, Buffer chunk, long total, long heldBackMs, long[] sent,
        CompletableFuture<Long> done) {
      while (sent[0] < total && !ws.writeQueueFull()) {
        ws.writeBinaryMessage(chunk);
        sent[0] += chunk.length();
      }
      if (sent[0] >= total) {
        done.complete(sent[0]);
        return;
      }
      long timer = vertx.setTimer(heldBackMs, id -> done.complete(sent[0]));
      ws.drainHandler(v -> {
        vertx.cancelTimer(timer);
        if (!done.isDone()) {
          push(vertx, chunk, total, heldBackMs, sent, done);
        }
      });
    }

    Closed awaitClose() {
      try {
        return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        throw new AssertionError("the socket did not close within " + WAIT, e);
      }
    }
  }
}
