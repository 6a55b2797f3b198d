package io.tollgate.testkit.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Buffered, deadline-bounded reads from a socket. Every read takes an absolute {@link System#nanoTime()}
 * deadline and fails with {@link SocketTimeoutException} once it passes. Not thread-safe.
 */
final class ByteInput {

  private final Socket socket;
  private final InputStream in;
  private final byte[] buffer = new byte[16 * 1024];
  private int position;
  private int limit;
  private boolean endOfStream;

  ByteInput(Socket socket) throws IOException {
    this.socket = socket;
    this.in = socket.getInputStream();
  }

  /** {@code true} once a byte can be read without blocking, {@code false} at end of stream. */
  boolean awaitData(long deadline) throws IOException {
    return position < limit || fill(deadline);
  }

  /** The next byte (0..255), or -1 at end of stream. */
  int read(long deadline) throws IOException {
    return awaitData(deadline) ? buffer[position++] & 0xff : -1;
  }

  /**
   * One CRLF-terminated line without its terminator, decoded as ISO-8859-1; {@code null} when the stream
   * ends before the first byte.
   *
   * @throws ProtocolException on a bare LF or a line longer than {@code maxLength}
   * @throws EOFException when the stream ends inside the line
   */
  String readLine(long deadline, int maxLength) throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int b = read(deadline);
      if (b < 0) {
        if (line.length() == 0) {
          return null;
        }
        throw new EOFException("connection closed inside a line: " + line);
      }
      if (b == '\n') {
        if (line.length() == 0 || line.charAt(line.length() - 1) != '\r') {
          throw new ProtocolException("bare LF in line: " + line);
        }
        return line.substring(0, line.length() - 1);
      }
      if (line.length() >= maxLength) {
        throw new ProtocolException("line longer than " + maxLength + " bytes");
      }
      line.append((char) b);
    }
  }

  /** Exactly {@code length} bytes appended to {@code out}; {@link EOFException} when the stream ends first. */
  void readExactly(long length, ByteArrayOutputStream out, long deadline) throws IOException {
    long remaining = length;
    while (remaining > 0) {
      if (!awaitData(deadline)) {
        throw new EOFException("connection closed " + remaining + " bytes before the end of a "
            + length + "-byte body");
      }
      int count = (int) Math.min(remaining, limit - position);
      out.write(buffer, position, count);
      position += count;
      remaining -= count;
    }
  }

  /** Everything up to end of stream, at most {@code maxLength} bytes, appended to {@code out}. */
  void readToEnd(ByteArrayOutputStream out, long maxLength, long deadline) throws IOException {
    while (awaitData(deadline)) {
      if (out.size() + (limit - position) > maxLength) {
        throw new ProtocolException("body longer than " + maxLength + " bytes");
      }
      out.write(buffer, position, limit - position);
      position = limit;
    }
  }

  static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private boolean fill(long deadline) throws IOException {
    if (endOfStream) {
      return false;
    }
    long remainingMillis = Math.max(0, (deadline - System.nanoTime() + 999_999) / 1_000_000);
    if (remainingMillis == 0) {
      throw new SocketTimeoutException("read timed out");
    }
    socket.setSoTimeout((int) Math.min(remainingMillis, Integer.MAX_VALUE));
    int count = in.read(buffer);
    if (count < 0) {
      endOfStream = true;
      return false;
    }
    position = 0;
    limit = count;
    return true;
  }
}
