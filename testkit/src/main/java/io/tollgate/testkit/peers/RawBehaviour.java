package io.tollgate.testkit.peers;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * How a {@link RawPeer} answers once a request head (everything up to the first empty line) has arrived:
 * optionally wait, write some bytes verbatim, then close, reset or keep the connection. Immutable and
 * thread-safe.
 *
 * <pre>{@code
 * RawBehaviour.malformed()                                   // garbage, then FIN
 * RawBehaviour.reset()                                       // RST, no bytes
 * RawBehaviour.reply("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\nhi")
 * RawBehaviour.silence()                                     // read, never answer: a black hole
 * }</pre>
 */
public final class RawBehaviour {

  /** What happens to the connection after the reply bytes were written. */
  enum Ending { CLOSE, RESET, KEEP_OPEN }

  /** Not HTTP: starts like a TLS record, then noise, so no HTTP/1.x parser can read a status line. */
  private static final byte[] GARBAGE =
      "\u0016\u0003\u0001\u0000\u00a5 this is not HTTP \u0000\u00ff\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

  private final Buffer reply;
  private final Ending ending;
  private final Duration delay;

  private RawBehaviour(Buffer reply, Ending ending, Duration delay) {
    this.reply = reply;
    this.ending = ending;
    this.delay = delay;
  }

  /** Writes bytes that are not an HTTP response, then closes the connection (FIN). */
  public static RawBehaviour malformed() {
    return reply(GARBAGE);
  }

  /**
   * Writes {@code raw} verbatim (each char as one ISO-8859-1 byte, as on the HTTP/1.1 wire), then closes
   * (FIN). Use it for responses no HTTP server library would produce.
   */
  public static RawBehaviour reply(String raw) {
    return reply(raw.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Writes {@code raw} verbatim, then closes (FIN). */
  public static RawBehaviour reply(byte[] raw) {
    return new RawBehaviour(Buffer.buffer(raw.clone()), Ending.CLOSE, Duration.ZERO);
  }

  /** Closes the connection (FIN) without writing anything. */
  public static RawBehaviour closeWithoutResponse() {
    return new RawBehaviour(Buffer.buffer(), Ending.CLOSE, Duration.ZERO);
  }

  /** Aborts the connection with a TCP RST (SO_LINGER 0) without writing anything. */
  public static RawBehaviour reset() {
    return closeWithoutResponse().thenReset();
  }

  /** Reads the request and never answers, keeping the connection open: for timeout tests. */
  public static RawBehaviour silence() {
    return closeWithoutResponse().thenKeepOpen();
  }

  /** After the reply, close with FIN (the default). */
  public RawBehaviour thenClose() {
    return new RawBehaviour(reply, Ending.CLOSE, delay);
  }

  /** After the reply, abort with RST; reply bytes not yet read by the client may be discarded by its OS. */
  public RawBehaviour thenReset() {
    return new RawBehaviour(reply, Ending.RESET, delay);
  }

  /** After the reply, keep the connection open and ignore further bytes. */
  public RawBehaviour thenKeepOpen() {
    return new RawBehaviour(reply, Ending.KEEP_OPEN, delay);
  }

  /** Waits this long after the request head arrived before acting. */
  public RawBehaviour delay(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    return new RawBehaviour(reply, ending, delay);
  }

  Buffer reply() {
    return reply;
  }

  Ending ending() {
    return ending;
  }

  Duration delay() {
    return delay;
  }

  @Override
  public String toString() {
    return "RawBehaviour[" + reply.length() + " reply bytes, then " + ending + ", delay=" + delay + "]";
  }
}
