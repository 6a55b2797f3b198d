package io.tollgate.problem;

import io.tollgate.observability.Tracing;
import io.tollgate.pipeline.GatewayFailure;
import io.tollgate.pipeline.RequestContext;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place that turns a {@link GatewayFailure} into an HTTP answer: an RFC 9457
 * {@code application/problem+json} body with {@code type}, {@code title}, {@code status}, {@code detail} and
 * {@code instance} (the request id, also in {@code X-Request-Id}).
 *
 * <p>If the response head was already sent (the upstream's status went out, then something failed), a problem
 * body can no longer be delivered honestly; the stream is reset instead, so the client sees an aborted response
 * and never a truncated one that looks complete.
 *
 * <p>If the request body was not fully read (e.g. 413 on a large upload), the HTTP/1.x connection is closed after
 * the answer: the unread bytes would otherwise be parsed as the next request. Until it is closed, the connection
 * is {@linkplain #isClosing marked}: Vert.x dispatches a pipelined request it already parsed from those bytes as
 * soon as this answer ends, and the ingress must not serve it.
 */
public final class ProblemResponder {

  private static final CharSequence PROBLEM_JSON = HttpHeaders.createOptimized("application/problem+json");
  private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");
  private static final CharSequence CLOSE = HttpHeaders.createOptimized("close");

  /** Longest wait for a refused body to finish arriving before the connection is closed anyway. */
  static final long LINGER_MS = 2_000;

  /** HTTP/1.x connections being closed after an answer that left request bytes unread. */
  private static final Set<HttpConnection> CLOSING = ConcurrentHashMap.newKeySet();

  private ProblemResponder() {
  }

  /** Answers {@code ctx}'s request with {@code failure}, or resets it if the head is already out. */
  public static void respond(RequestContext ctx, GatewayFailure failure) {
    ctx.rejection(failure.type().slug());
    Tracing.rejected(ctx, failure.type().slug());
    respond(ctx.request(), ctx.requestId(), Tracing.traceId(ctx), failure);
  }

  /** As {@link #respond(RequestContext, GatewayFailure)}, for requests rejected before a context exists. */
  public static void respond(HttpServerRequest request, String requestId, GatewayFailure failure) {
    respond(request, requestId, null, failure);
  }

  private static void respond(HttpServerRequest request, String requestId, String traceId, GatewayFailure failure) {
    if (!canAnswer(request.response())) {
      return;
    }
    write(request, requestId, failure.status(), PROBLEM_JSON, failure.headers(),
        render(failure, requestId, traceId));
  }

  /**
   * Answers {@code ctx}'s request with a response the route declares for when it cannot proxy (a circuit-breaker
   * fallback) — not a problem, but written with the same care: request id, {@code no-store}, and the connection
   * closed after the answer if the request body was left unread.
   */
  public static void respondStatic(RequestContext ctx, int status, String contentType, Buffer body) {
    if (canAnswer(ctx.response())) {
      write(ctx.request(), ctx.requestId(), status, contentType, Map.of(), body);
    }
  }

  /** False when the response is over, or its head is out (then it is reset: a late answer cannot be honest). */
  private static boolean canAnswer(HttpServerResponse response) {
    if (response.ended() || response.closed()) {
      return false;
    }
    if (response.headWritten()) {
      response.reset();
      return false;
    }
    return true;
  }

  private static void write(HttpServerRequest request, String requestId, int status, CharSequence contentType,
      Map<String, String> extraHeaders, Buffer body) {
    HttpServerResponse response = request.response();
    response.setStatusCode(status);
    var headers = response.headers();
    headers.clear();
    headers.set(HttpHeaders.CONTENT_TYPE, contentType);
    headers.set(HttpHeaders.CACHE_CONTROL, NO_STORE);
    headers.set(RequestIdHeader.NAME, requestId);
    headers.set(HttpHeaders.CONTENT_LENGTH, String.valueOf(body.length()));
    for (Map.Entry<String, String> h : extraHeaders.entrySet()) {
      headers.set(h.getKey(), h.getValue());
    }
    boolean unreadBody = hasUnreadBody(request);
    if (unreadBody) {
      headers.set(HttpHeaders.CONNECTION, CLOSE);
    } else {
      // No body is coming: let the (paused) request reach its end so the connection can serve the next one.
      request.resume();
    }
    HttpConnection connection = request.connection();
    if (unreadBody) {
      // Before end(): ending this answer makes Vert.x dispatch the next pipelined request at once.
      CLOSING.add(connection);
    }
    var written = response.end(body);
    if (unreadBody) {
      written.onComplete(v -> lingerThenClose(request, connection));
    }
  }

  /**
   * Closes the connection once the client has finished sending the body we refused, or after
   * {@link #LINGER_MS} — whichever comes first — discarding what arrives meanwhile. Closing at once would make
   * the kernel answer the client's remaining bytes with a TCP reset, which can destroy the error response
   * before the client reads it (RFC 9112 §9.6; nginx's {@code lingering_close}).
   */
  private static void lingerThenClose(HttpServerRequest request, HttpConnection connection) {
    Context context = Vertx.currentContext();
    if (request.isEnded() || context == null) {
      close(connection);
      return;
    }
    long timer = context.owner().setTimer(LINGER_MS, id -> close(connection));
    request.handler(discarded -> { });
    request.exceptionHandler(error -> close(connection));
    request.endHandler(end -> {
      context.owner().cancelTimer(timer);
      close(connection);
    });
    request.resume();
  }

  private static void close(HttpConnection connection) {
    if (CLOSING.contains(connection)) {
      connection.close().onComplete(closed -> CLOSING.remove(connection));
    }
  }

  /**
   * True while {@code connection} is being closed because a request's body was left unread: a request that
   * arrives on it was parsed from bytes the gateway never framed as a request (e.g. the body behind a refused
   * {@code Transfer-Encoding}) and must be neither answered nor forwarded.
   */
  public static boolean isClosing(HttpConnection connection) {
    return connection != null && CLOSING.contains(connection);
  }

  /** True for an HTTP/1.x request whose declared body has not been fully read. */
  static boolean hasUnreadBody(HttpServerRequest request) {
    if (request.isEnded() || request.version() == HttpVersion.HTTP_2) {
      return false;
    }
    var h = request.headers();
    String length = h.get(HttpHeaders.CONTENT_LENGTH);
    return h.contains(HttpHeaders.TRANSFER_ENCODING) || (length != null && !length.equals("0"));
  }

  /** The problem document; {@code instance} is the request id (RFC 9457 §3.1.5 allows a relative reference). */
  public static Buffer render(GatewayFailure failure, String requestId) {
    return render(failure, requestId, null);
  }

  /** As {@link #render(GatewayFailure, String)}, plus a {@code traceId} member when the request was traced. */
  public static Buffer render(GatewayFailure failure, String requestId, String traceId) {
    ProblemType type = failure.type();
    JsonObject problem = new JsonObject()
        .put("type", type.uri())
        .put("title", type.title())
        .put("status", type.status())
        .put("detail", failure.detail())
        .put("instance", requestId)
        .put("requestId", requestId);
    if (traceId != null) {
      problem.put("traceId", traceId);
    }
    return problem.toBuffer();
  }
}
