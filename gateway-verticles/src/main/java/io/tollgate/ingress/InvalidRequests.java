package io.tollgate.ingress;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.tollgate.observability.AccessLog;
import io.tollgate.observability.GatewayMetrics;
import io.tollgate.pipeline.GatewayFailure;
import io.tollgate.pipeline.RequestContext;
import io.tollgate.problem.ProblemResponder;
import io.tollgate.problem.ProblemType;
import io.tollgate.problem.RequestIdHeader;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers requests the HTTP decoder could not parse (Vert.x's {@code invalidRequestHandler}): a too-long request
 * line gets 414, too-large headers 431, anything else (bad request line, invalid header, conflicting
 * Content-Length) 400 — always as problem+json, never forwarded, and the connection is closed
 * because the byte stream can no longer be trusted. (Broken chunking inside a body is found only after the request
 * was handed to the proxy: Vert.x then closes the connection and the upstream request is reset.)
 */
final class InvalidRequests {

  private InvalidRequests() {
  }

  static void handle(HttpServerRequest req, GatewayMetrics metrics) {
    if (ProblemResponder.isClosing(req.connection())) {
      return; // parsed from bytes behind a refused request; the connection is closing
    }
    RequestContext ctx = new RequestContext(req, RequestIdHeader.generate(), System.nanoTime());
    // The header goes with the failure: ProblemResponder replaces the response headers.
    GatewayFailure failure = classify(req.decoderResult()).withHeader(HttpHeaders.CONNECTION.toString(), "close");
    req.response().endHandler(v -> {
      metrics.finished(ctx);
      AccessLog.log(ctx);
      req.connection().close();
    });
    ProblemResponder.respond(ctx, failure);
  }

  static GatewayFailure classify(DecoderResult result) {
    Throwable cause = result == null ? null : result.cause();
    if (cause instanceof TooLongHttpLineException) {
      return GatewayFailure.of(ProblemType.URI_TOO_LONG, "the request line is too long");
    }
    if (cause instanceof TooLongFrameException) {
      return GatewayFailure.of(ProblemType.HEADERS_TOO_LARGE, "the request headers are too large");
    }
    return GatewayFailure.of(ProblemType.BAD_REQUEST,
        "the request could not be parsed" + (cause == null || cause.getMessage() == null ? "" : ": " + sanitize(cause.getMessage())));
  }

  /** Decoder messages may quote client bytes; keep them short and printable. */
  private static String sanitize(String message) {
    StringBuilder sb = new StringBuilder(Math.min(message.length(), 120));
    for (int i = 0; i < message.length() && sb.length() < 120; i++) {
      char c = message.charAt(i);
      sb.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return sb.toString();
  }
}
