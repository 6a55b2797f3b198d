package io.tollgate.observability;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.vertx.core.MultiMap;

/**
 * The spans of one sampled request: its SERVER span and the CLIENT span of the upstream attempt in progress (one per
 * attempt, so retries show). Confined to the request's event loop, like the {@code RequestContext} that holds it.
 * Follows the OpenTelemetry HTTP semantic conventions: span names {@code "<METHOD> <route>"} (server) and
 * {@code "<METHOD>"} (client), {@code http.request.method}, {@code http.route}, {@code url.*}, {@code server.*},
 * {@code http.response.status_code}, {@code http.request.resend_count}, {@code error.type}.
 */
final class RequestSpans {

  static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  private static final AttributeKey<Long> RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final AttributeKey<String> PROBLEM = AttributeKey.stringKey("tollgate.problem");
  private static final TextMapSetter<MultiMap> HEADERS = (headers, name, value) -> headers.set(name, value);

  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final Span server;
  private final String method;
  private Span attempt;
  private int attempts;

  RequestSpans(Tracer tracer, TextMapPropagator propagator, Span server, String method) {
    this.tracer = tracer;
    this.propagator = propagator;
    this.server = server;
    this.method = method;
  }

  SpanContext serverContext() {
    return server.getSpanContext();
  }

  void routeMatched(String template) {
    server.setAttribute(HTTP_ROUTE, template);
    server.updateName(method + " " + template);
  }

  void rejected(String slug) {
    server.addEvent("tollgate.rejected", Attributes.of(PROBLEM, slug));
  }

  /**
   * Starts the CLIENT span of an upstream attempt (ending the previous one if still open) and writes its context
   * into {@code headers} as {@code traceparent} (plus the client's {@code tracestate}), replacing the client's.
   */
  void attemptStarted(MultiMap headers, boolean ssl, String host, int port, String uri) {
    attemptEnded();
    var builder = tracer.spanBuilder(method)
        .setSpanKind(SpanKind.CLIENT)
        .setParent(Context.root().with(server))
        .setAttribute(METHOD, method)
        .setAttribute(SERVER_ADDRESS, host)
        .setAttribute(SERVER_PORT, (long) port)
        .setAttribute(URL_FULL, (ssl ? "https://" : "http://") + host + ":" + port + uri);
    if (attempts > 0) {
      builder.setAttribute(RESEND_COUNT, (long) attempts);
    }
    attempts++;
    attempt = builder.startSpan();
    headers.remove(Tracing.TRACEPARENT);
    headers.remove(Tracing.TRACESTATE);
    propagator.inject(Context.root().with(attempt), headers, HEADERS);
  }

  /** The upstream answered the attempt with {@code status} (its head); 4xx and 5xx mark a client span an error. */
  void attemptAnswered(int status) {
    if (attempt != null) {
      attempt.setAttribute(STATUS, (long) status);
      if (status >= 400) {
        attempt.setAttribute(ERROR_TYPE, Integer.toString(status));
        attempt.setStatus(StatusCode.ERROR);
      }
    }
  }

  /** The attempt failed before or while receiving its answer (connect failure, reset, timeout). */
  void attemptFailed(Throwable cause) {
    if (attempt != null) {
      attempt.setAttribute(ERROR_TYPE, cause == null ? "_OTHER" : cause.getClass().getName());
      attempt.setStatus(StatusCode.ERROR, cause == null ? null : cause.getMessage());
      attemptEnded();
    }
  }

  /** Ends the current attempt's span, if any is open. */
  void attemptEnded() {
    if (attempt != null) {
      attempt.end();
      attempt = null;
    }
  }

  /**
   * Ends the open attempt and the server span with the status sent to the client ({@code 0}: none was sent, the
   * client or a stream broke off). 5xx (and no answer) mark a server span an error.
   */
  void finished(int status) {
    attemptEnded();
    if (status > 0) {
      server.setAttribute(STATUS, (long) status);
    }
    if (status >= 500 || status == 0) {
      server.setAttribute(ERROR_TYPE, status == 0 ? "aborted" : Integer.toString(status));
      server.setStatus(StatusCode.ERROR);
    }
    server.end();
  }
}
