package io.tollgate.testkit.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One HTTP/1.x response exactly as it came off the wire: header lines in order with repeated names kept, the
 * de-framed body (chunked framing removed, content codings untouched) and any chunked trailers. Immutable.
 */
public final class RawResponse {

  private final String version;
  private final int status;
  private final String reason;
  private final List<Map.Entry<String, String>> headers;
  private final byte[] body;
  private final List<Map.Entry<String, String>> trailers;

  RawResponse(String version, int status, String reason, List<Map.Entry<String, String>> headers, byte[] body,
      List<Map.Entry<String, String>> trailers) {
    this.version = version;
    this.status = status;
    this.reason = reason;
    this.headers = List.copyOf(headers);
    this.body = body.clone();
    this.trailers = List.copyOf(trailers);
  }

  /** E.g. {@code HTTP/1.1}. */
  public String version() {
    return version;
  }

  public int status() {
    return status;
  }

  /** Reason phrase, possibly empty. */
  public String reason() {
    return reason;
  }

  /** Header fields in wire order, names as sent, values without surrounding whitespace. */
  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /** First value of a header (name compared case-insensitively), or {@code null}. */
  public String header(String name) {
    List<String> values = headerValues(name);
    return values.isEmpty() ? null : values.get(0);
  }

  /** Every value of a header, in wire order, one per header line. */
  public List<String> headerValues(String name) {
    return valuesOf(headers, name);
  }

  /** Trailer fields of a chunked body; empty otherwise. */
  public List<Map.Entry<String, String>> trailers() {
    return trailers;
  }

  /** A copy of the body bytes. */
  public byte[] body() {
    return body.clone();
  }

  /** The body decoded as UTF-8. */
  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return version + " " + status + " " + reason + " " + headers + " (" + body.length + " body bytes)";
  }

  private static List<String> valuesOf(List<Map.Entry<String, String>> fields, String name) {
    return fields.stream()
        .filter(field -> field.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue)
        .toList();
  }
}
