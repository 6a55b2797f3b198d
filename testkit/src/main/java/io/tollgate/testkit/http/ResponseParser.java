package io.tollgate.testkit.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A deliberately strict HTTP/1.1 response reader (RFC 9112): it exists to catch a gateway that frames badly,
 * so it rejects what a lenient client would forgive — bare LF, obsolete line folding, whitespace before a
 * colon, invalid or repeated {@code Content-Length}, and {@code Content-Length} next to
 * {@code Transfer-Encoding}.
 */
final class ResponseParser {

  /** Longest status, header or chunk-size line accepted. */
  static final int MAX_LINE = 64 * 1024;
  /** Largest body kept in memory. */
  static final long MAX_BODY = 64L << 20;

  private final ByteInput in;
  private final long deadline;

  private ResponseParser(ByteInput in, long deadline) {
    this.in = in;
    this.deadline = deadline;
  }

  /**
   * Reads one response. {@code expectBody} is {@code false} for answers to HEAD, whose framing headers
   * describe a body that is not sent.
   */
  static RawResponse read(ByteInput in, long deadline, boolean expectBody) throws IOException {
    return new ResponseParser(in, deadline).read(expectBody);
  }

  private RawResponse read(boolean expectBody) throws IOException {
    String statusLine = in.readLine(deadline, MAX_LINE);
    if (statusLine == null) {
      throw new EOFException("connection closed before a response started");
    }
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("[1-5][0-9][0-9]")) {
      throw new ProtocolException("not an HTTP status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    String reason = parts.length == 3 ? parts[2] : "";
    List<Map.Entry<String, String>> headers = readFields();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    List<Map.Entry<String, String>> trailers = List.of();
    boolean bodiless = !expectBody || status < 200 || status == 204 || status == 304;
    if (!bodiless) {
      trailers = readBody(headers, body);
    }
    return new RawResponse(parts[0], status, reason, headers, body.toByteArray(), trailers);
  }

  /** Message body length rules of RFC 9112 §6.3, for a response. */
  private List<Map.Entry<String, String>> readBody(List<Map.Entry<String, String>> headers,
      ByteArrayOutputStream body) throws IOException {
    List<String> transferEncodings = values(headers, "Transfer-Encoding");
    List<String> contentLengths = values(headers, "Content-Length");
    if (!transferEncodings.isEmpty() && !contentLengths.isEmpty()) {
      throw new ProtocolException("response has both Transfer-Encoding and Content-Length");
    }
    if (!transferEncodings.isEmpty()) {
      if (isChunkedLast(transferEncodings)) {
        return readChunked(body);
      }
      in.readToEnd(body, MAX_BODY, deadline);
      return List.of();
    }
    if (!contentLengths.isEmpty()) {
      in.readExactly(contentLength(contentLengths), body, deadline);
      return List.of();
    }
    in.readToEnd(body, MAX_BODY, deadline);
    return List.of();
  }

  private List<Map.Entry<String, String>> readChunked(ByteArrayOutputStream body) throws IOException {
    while (true) {
      String sizeLine = requireLine("chunk size");
      String size = sizeLine.contains(";") ? sizeLine.substring(0, sizeLine.indexOf(';')) : sizeLine;
      if (!size.matches("[0-9a-fA-F]{1,15}")) {
        throw new ProtocolException("invalid chunk size line: " + sizeLine);
      }
      long length = Long.parseLong(size, 16);
      if (length == 0) {
        return readFields();
      }
      if (body.size() + length > MAX_BODY) {
        throw new ProtocolException("chunked body longer than " + MAX_BODY + " bytes");
      }
      in.readExactly(length, body, deadline);
      String afterData = requireLine("chunk end");
      if (!afterData.isEmpty()) {
        throw new ProtocolException("chunk data longer than its declared size " + length);
      }
    }
  }

  /** Header or trailer fields up to the empty line (RFC 9112 §5). */
  private List<Map.Entry<String, String>> readFields() throws IOException {
    List<Map.Entry<String, String>> fields = new ArrayList<>();
    for (String line = requireLine("header"); !line.isEmpty(); line = requireLine("header")) {
      if (line.startsWith(" ") || line.startsWith("\t")) {
        throw new ProtocolException("obsolete line folding: " + line);
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || line.substring(0, colon).matches(".*[ \t].*")) {
        throw new ProtocolException("invalid header line: " + line);
      }
      fields.add(Map.entry(line.substring(0, colon), line.substring(colon + 1).strip()));
    }
    return fields;
  }

  private String requireLine(String what) throws IOException {
    String line = in.readLine(deadline, MAX_LINE);
    if (line == null) {
      throw new EOFException("connection closed before the " + what + " line");
    }
    return line;
  }

  private static boolean isChunkedLast(List<String> transferEncodings) {
    String last = transferEncodings.get(transferEncodings.size() - 1);
    String[] codings = last.split(",");
    return codings[codings.length - 1].strip().toLowerCase(Locale.ROOT).equals("chunked");
  }

  private static long contentLength(List<String> values) throws ProtocolException {
    if (values.size() > 1 || !values.get(0).matches("[0-9]{1,18}")) {
      throw new ProtocolException("invalid Content-Length: " + values);
    }
    long length = Long.parseLong(values.get(0));
    if (length > MAX_BODY) {
      throw new ProtocolException("Content-Length " + length + " exceeds " + MAX_BODY + " bytes");
    }
    return length;
  }

  private static List<String> values(List<Map.Entry<String, String>> fields, String name) {
    return fields.stream().filter(f -> f.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
  }
}
