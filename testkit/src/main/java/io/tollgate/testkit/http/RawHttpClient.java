package io.tollgate.testkit.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking HTTP/1.1 client over a plain socket that sends exactly the bytes it is given and reads responses
 * strictly — for framing and request-smuggling tests, where a real client would "fix" the request.
 *
 * <pre>{@code
 * try (RawHttpClient client = RawHttpClient.connect("127.0.0.1", gatewayPort)) {
 *   client.send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
 *       + "0\r\n\r\nGET /admin HTTP/1.1\r\nHost: x\r\n\r\n");
 *   List<RawResponse> responses = client.readResponses(Duration.ofSeconds(2));
 *   assertThat(responses).hasSize(1);
 *   assertThat(client.isClosedByPeer(Duration.ofSeconds(1))).isTrue();
 * }
 * }</pre>
 *
 * <p>Strings are sent as ISO-8859-1, one byte per char, as HTTP/1.1 puts them on the wire. Reads take a
 * timeout and throw {@link SocketTimeoutException} when it expires, {@link EOFException} when the peer closes
 * inside a response and {@link java.net.ProtocolException} on bad framing. Bodies are held in memory (at most
 * 64 MiB). Threads: one test thread at a time; not thread-safe.
 */
public final class RawHttpClient implements AutoCloseable {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration EXCHANGE_TIMEOUT = Duration.ofSeconds(5);

  private final Socket socket;
  private final OutputStream out;
  private final ByteInput in;

  private RawHttpClient(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new ByteInput(socket);
  }

  /** Opens a TCP connection (Nagle off, so each {@link #send} leaves at once). */
  public static RawHttpClient connect(String host, int port) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), (int) CONNECT_TIMEOUT.toMillis());
      return new RawHttpClient(socket);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** Connects, sends {@code raw}, reads one response within 5 s and closes. */
  public static RawResponse exchange(String host, int port, String raw) throws IOException {
    return exchange(host, port, raw, EXCHANGE_TIMEOUT);
  }

  /** Connects, sends {@code raw}, reads one response within {@code timeout} and closes. */
  public static RawResponse exchange(String host, int port, String raw, Duration timeout) throws IOException {
    try (RawHttpClient client = connect(host, port)) {
      return client.send(raw).readResponse(timeout);
    }
  }

  /**
   * Sends {@code raw} as ISO-8859-1 bytes.
   *
   * @throws IllegalArgumentException when a char does not fit in one byte
   */
  public RawHttpClient send(String raw) throws IOException {
    byte[] bytes = new byte[raw.length()];
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c > 0xff) {
        throw new IllegalArgumentException("char U+" + Integer.toHexString(c) + " at " + i
            + " is not one byte; pass bytes to send(byte[])");
      }
      bytes[i] = (byte) c;
    }
    return send(bytes);
  }

  /** Sends {@code raw} as is, flushed. */
  public RawHttpClient send(byte[] raw) throws IOException {
    out.write(raw);
    out.flush();
    return this;
  }

  /** Reads the next response; a 1xx interim response is returned on its own, read again for the final one. */
  public RawResponse readResponse(Duration timeout) throws IOException {
    return ResponseParser.read(in, deadline(timeout), true);
  }

  /** Reads the next response to a HEAD request: its framing headers describe a body that is not sent. */
  public RawResponse readResponseWithoutBody(Duration timeout) throws IOException {
    return ResponseParser.read(in, deadline(timeout), false);
  }

  /**
   * Reads pipelined responses until the peer closes the connection or {@code window} elapses, and returns
   * them in order; for asserting that a smuggled second request got no response of its own.
   *
   * @throws EOFException when the peer closes inside a response
   * @throws SocketTimeoutException when {@code window} ends inside a response
   */
  public List<RawResponse> readResponses(Duration window) throws IOException {
    long deadline = deadline(window);
    List<RawResponse> responses = new ArrayList<>();
    while (awaitNextResponse(deadline)) {
      responses.add(ResponseParser.read(in, deadline, true));
    }
    return responses;
  }

  /**
   * Whether the peer closes (FIN or RST) the connection within {@code wait}. Returns {@code false} as soon as
   * a byte arrives instead; that byte stays readable.
   */
  public boolean isClosedByPeer(Duration wait) throws IOException {
    try {
      return !in.awaitData(deadline(wait));
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (SocketException reset) {
      return true;
    }
  }

  /** Half-closes: sends FIN, keeps reading possible. */
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  /** Closes the socket; idempotent. */
  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code false} when the peer closed, or stayed quiet until the deadline, before another response began. */
  private boolean awaitNextResponse(long deadline) throws IOException {
    try {
      return in.awaitData(deadline);
    } catch (SocketTimeoutException quiet) {
      return false;
    }
  }

  private static long deadline(Duration timeout) {
    return System.nanoTime() + timeout.toNanos();
  }
}
