package io.tollgate.proxy;

import io.tollgate.pipeline.GatewayFailure;
import io.tollgate.problem.ProblemType;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import java.util.List;

/**
 * Message-framing rules (RFC 9112 §6) applied before anything is forwarded. Ambiguous framing is how request
 * smuggling works, so the gateway refuses it instead of guessing:
 * <ul>
 *   <li>{@code Content-Length} together with {@code Transfer-Encoding} → 400</li>
 *   <li>{@code Transfer-Encoding} other than exactly {@code chunked} → 400 (we never forward other codings)</li>
 *   <li>several {@code Content-Length} values, or a non-numeric one → 400</li>
 * </ul>
 * Netty already rejects differing duplicate lengths and malformed chunking; these checks cover what it lets
 * through, and the 400 closes the connection so nothing queued behind it is parsed.
 *
 * <p>On HTTP/1.1, Netty itself resolves {@code Content-Length} + {@code Transfer-Encoding: chunked} by dropping
 * the length before the gateway sees the request (RFC 9112 §6.3), so such a request reaches the upstream as
 * plain chunked — the gateway and the upstream frame it identically, and nothing can be smuggled behind it
 * ({@code FramingIT} proves this). The pair is still refused when the coding is not chunked (Netty keeps the length
 * then), and any {@code Transfer-Encoding} on HTTP/1.0 is.
 */
public final class Framing {

  private Framing() {
  }

  /** Null if the request's framing is unambiguous, else the failure to answer with. */
  public static GatewayFailure check(HttpServerRequest req) {
    if (req.version() == HttpVersion.HTTP_2) {
      return contentLength(req) == -2 ? invalid("invalid Content-Length") : null;
    }
    MultiMap h = req.headers();
    if (!h.contains(HttpHeaders.TRANSFER_ENCODING)) {
      return contentLength(req) == -2 ? invalid("invalid Content-Length") : null; // the common case, no allocation
    }
    List<String> te = h.getAll(HttpHeaders.TRANSFER_ENCODING);
    if (req.version() == HttpVersion.HTTP_1_0) {
      // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 must be treated as faulty framing.
      return invalid("Transfer-Encoding is not defined for HTTP/1.0");
    }
    if (h.contains(HttpHeaders.CONTENT_LENGTH)) {
      return invalid("Content-Length and Transfer-Encoding must not both be present");
    }
    if (te.size() != 1 || !te.get(0).trim().equalsIgnoreCase("chunked")) {
      return invalid("only 'Transfer-Encoding: chunked' is accepted");
    }
    return null;
  }

  /** The request's Content-Length; -1 when absent; -2 when invalid or repeated. */
  public static long contentLength(HttpServerRequest req) {
    if (!req.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
      return -1; // most requests: no list allocated
    }
    List<String> values = req.headers().getAll(HttpHeaders.CONTENT_LENGTH);
    if (values.size() > 1) {
      return -2;
    }
    String v = values.get(0).trim();
    if (v.isEmpty() || v.length() > 18) {
      return -2;
    }
    long n = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return -2;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /** True when a body without a declared length may follow (chunked HTTP/1.1, or any HTTP/2 stream). */
  static boolean mayHaveUnsizedBody(HttpServerRequest req) {
    if (req.version() == HttpVersion.HTTP_2) {
      return !req.isEnded();
    }
    return req.headers().contains(HttpHeaders.TRANSFER_ENCODING);
  }

  static boolean expectsContinue(HttpServerRequest req) {
    return req.version() != HttpVersion.HTTP_1_0
        && req.headers().contains(HttpHeaders.EXPECT, HttpHeaders.CONTINUE, true);
  }

  /** RFC 9110 §6.4.1: no body for HEAD, 1xx, 204 and 304. */
  static boolean responseMayHaveBody(HttpMethod method, int status) {
    return method != HttpMethod.HEAD && status >= 200 && status != 204 && status != 304;
  }

  private static GatewayFailure invalid(String detail) {
    return GatewayFailure.of(ProblemType.AMBIGUOUS_FRAMING, detail);
  }
}
