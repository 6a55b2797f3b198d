package io.tollgate.proxy;

import io.tollgate.config.FallbackConfig;
import io.tollgate.config.TargetConfig;
import io.tollgate.observability.Durations;
import io.tollgate.observability.Tracing;
import io.tollgate.pipeline.Deadlines;
import io.tollgate.pipeline.GatewayFailure;
import io.tollgate.pipeline.RequestContext;
import io.tollgate.problem.ProblemResponder;
import io.tollgate.problem.ProblemType;
import io.tollgate.problem.RequestIdHeader;
import io.tollgate.routing.CompiledRoute;
import io.tollgate.upstream.Attempts;
import io.tollgate.upstream.RetryPolicy;
import io.tollgate.upstream.ServiceTargets;
import io.tollgate.upstream.Target;
import io.vertx.core.AsyncResult;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.Pipe;
import io.vertx.core.streams.ReadStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.concurrent.TimeoutException;

/**
 * The terminal step of the pipeline: sends the request to an upstream target and streams both bodies.
 *
 * <p>Contract (one instance per ingress instance, confined to its event loop):
 * <ul>
 *   <li>Bodies are never buffered: the paused client request is piped to the upstream, the upstream response is
 *       piped back. Back-pressure flows both ways.</li>
 *   <li>A request body larger than the route's cap is refused with 413 — up front when {@code Content-Length}
 *       says so, else as soon as the excess byte arrives (the upstream request is reset, never completed).</li>
 *   <li>Before the response head is sent, failures become problem responses (502/503/504). After it, the client
 *       stream is reset, so a truncated body can never look complete.</li>
 *   <li>If the client goes away, the upstream request is reset (its connection leaves the pool).</li>
 *   <li>The response timeout runs from the moment the request was fully sent until the response head arrives.</li>
 * </ul>
 */
public final class ProxyInvoker {

  private static final Logger LOG = LoggerFactory.getLogger(ProxyInvoker.class);

  /** Time until the upstream's response headers, in milliseconds with microsecond precision. */
  public static final CharSequence RESPONSE_TIME_HEADER = HttpHeaders.createOptimized("X-Gateway-Response-Time");

  /** Largest retried response body that is drained to keep its connection; larger or unsized ones reset it. */
  private static final long DISCARD_LIMIT = 64 * 1024;

  private static final HeaderNames HOP_BY_HOP = HopByHopHeaders.notCopied(java.util.Set.of());

  private final Vertx vertx;
  private final UpstreamClients clients;
  private final Deadlines deadlines;

  /** @param deadlines the response timers of this ingress instance's event loop */
  public ProxyInvoker(Vertx vertx, UpstreamClients clients, Deadlines deadlines) {
    this.vertx = vertx;
    this.clients = clients;
    this.deadlines = deadlines;
  }

  /** Proxies {@code ctx}'s (paused) request along its matched route. */
  public void invoke(RequestContext ctx, TrustedProxies trusted) {
    HttpServerRequest req = ctx.request();
    CompiledRoute route = ctx.route().variantFor(req);
    if (route != ctx.route()) {
      ctx.matched(route, ctx.params()); // a split route: this request goes to another service (metrics follow it)
    }
    long contentLength = Framing.contentLength(req);
    if (contentLength > route.maxBodySize()) {
      ProblemResponder.respond(ctx, bodyTooLarge(route));
      return;
    }
    MultiMap headers;
    try {
      headers = upstreamHeaders(ctx, route, trusted);
    } catch (IllegalArgumentException e) {
      // HTTP/2 lets control characters into header values; they must never reach an HTTP/1.1 request line.
      ProblemResponder.respond(ctx, GatewayFailure.of(ProblemType.BAD_REQUEST, "invalid header value"));
      return;
    }
    long hash = HashKeys.of(route.service().hashOn(), req, trusted);
    Attempts attempts = route.retries().begin(req.method(), isBodiless(req, contentLength), contentLength);
    if (attempts != null) {
      attempts.hashKey(hash);
      // A retry rebuilds the headers: the client may have mutated the first attempt's copy (trace context, framing).
      attempts.onRetry(() -> attempt(ctx, upstreamHeaders(ctx, route, trusted), contentLength, attempts,
          ServiceTargets.NO_HASH));
      ctx.onFinish(attempts.release());
    }
    attempt(ctx, headers, contentLength, attempts, hash);
  }

  /**
   * One try at the upstream: pick a target, connect, send. {@code attempts} is null when the request is never
   * retried; otherwise a failed try may schedule the next one ({@link #retry}). {@code hash} is the request's key
   * for a {@code consistent-hash} service when {@code attempts} is null (else {@code attempts} carries it).
   */
  private void attempt(RequestContext ctx, MultiMap headers, long contentLength, Attempts attempts, long hash) {
    CompiledRoute route = ctx.route();
    Target target;
    if (attempts == null) {
      target = route.pickTarget(hash);
      if (target == null) {
        circuitOpen(ctx, headers, contentLength);
        return;
      }
      // Counted from the pick to the end of the request, whatever ends it (finish actions run exactly once).
      target.health().acquire();
      ctx.onFinish(target.health().release());
    } else {
      target = attempts.next(); // a target not tried yet, its slot held until a retry or the request's end
      if (target == null) {
        circuitOpen(ctx, headers, contentLength);
        return;
      }
    }
    TargetConfig config = target.config();
    ctx.upstream(target.address());
    String uri = route.upstreamUri(config, ctx);
    Tracing.attemptStarted(ctx, headers, config.ssl(), config.host(), config.port(), uri);
    RequestOptions options = new RequestOptions()
        .setMethod(ctx.request().method())
        .setHost(config.host())
        .setPort(config.port())
        .setSsl(config.ssl())
        .setURI(uri)
        .setConnectTimeout(route.connectTimeoutMs())
        .setFollowRedirects(false)
        .setHeaders(headers);
    long asked = System.nanoTime();
    target.health().connecting();
    clients.forService(route.service()).request(options).onComplete(ar -> {
      target.health().connected();
      if (ar.failed()) {
        target.failed();
        Tracing.attemptFailed(ctx, ar.cause());
        if (!retry(ctx, attempts, RetryPolicy.Failure.CONNECT, null)) {
          ProblemResponder.respond(ctx, UpstreamErrors.onConnect(route.service().name(), ar.cause()));
        }
        return;
      }
      ctx.upstreamConnected(System.nanoTime() - asked);
      send(ctx, ar.result(), contentLength, target, attempts);
    });
  }

  /**
   * Schedules the next attempt when the route's retry rules allow it (see {@code RetryPolicy}); false when the
   * failure must be answered instead. The client leaving during the back-off cancels the retry. Each retry is noted
   * for the access log ({@code retry:connect-failure}, {@code retry:reset}, {@code retry:503}).
   *
   * @param response the retried response for {@link RetryPolicy.Failure#STATUS}, else null
   */
  private boolean retry(RequestContext ctx, Attempts attempts, RetryPolicy.Failure failure,
      HttpClientResponse response) {
    if (attempts == null || ctx.clientGone()) {
      return false;
    }
    String retryAfter = response == null ? null : response.headers().get(HttpHeaders.RETRY_AFTER);
    long delayNanos = attempts.retryDelayNanos(failure, retryAfter, ctx.request().isEnded());
    if (delayNanos < 0) {
      return false;
    }
    ctx.note(switch (failure) {
      case CONNECT -> "retry:connect-failure";
      case RESET -> "retry:reset";
      case STATUS -> "retry:" + response.statusCode();
    });
    vertx.setTimer(Math.max(1, delayNanos / 1_000_000), id -> {
      if (!ctx.clientGone()) {
        attempts.again();
      }
    });
    return true;
  }

  /**
   * Every target's circuit is open: the route's fallback if it declares one — the request goes to the alternate
   * service (once, without retries), or the static response is answered — else 503 {@code circuit-open} with
   * {@code Retry-After} set to when the first circuit lets trial calls through.
   */
  private void circuitOpen(RequestContext ctx, MultiMap headers, long contentLength) {
    CompiledRoute route = ctx.route();
    FallbackConfig fallback = route.config().fallback();
    if (route.fallbackRoute() != null) {
      ctx.note("circuit-open-fallback");
      ctx.matched(route.fallbackRoute(), ctx.params());
      attempt(ctx, headers, contentLength, null, ServiceTargets.NO_HASH); // the alternate service balances as usual
      return;
    }
    if (fallback != null && fallback.service() == null) {
      ctx.note("circuit-open-fallback");
      ProblemResponder.respondStatic(ctx, fallback.status(), fallback.contentType(), Buffer.buffer(fallback.body()));
      return;
    }
    if (!route.hasTargets()) {
      ProblemResponder.respond(ctx, noTargets(route));
      return;
    }
    long retryAfterSeconds = Math.max(1, (route.openCircuitMillis() + 999) / 1000);
    ProblemResponder.respond(ctx, GatewayFailure.of(ProblemType.CIRCUIT_OPEN,
            "every target of service '" + route.service().name() + "' has an open circuit")
        .withHeader("Retry-After", String.valueOf(retryAfterSeconds)));
  }

  /** 503 for a DNS-discovered service whose name has not resolved to any address yet. */
  public static GatewayFailure noTargets(CompiledRoute route) {
    return GatewayFailure.of(ProblemType.UPSTREAM_UNAVAILABLE, "service '" + route.service().name()
        + "' has no targets yet (its DNS name has not resolved)").withHeader("Retry-After", "1");
  }

  /** True when the request has no body: it can be replayed even after it was sent. */
  private static boolean isBodiless(HttpServerRequest req, long contentLength) {
    return contentLength == 0 || (contentLength < 0 && !Framing.mayHaveUnsizedBody(req));
  }

  /**
   * The headers of the upstream request for {@code ctx}: the client's end-to-end headers (minus those the route
   * owns), trace context, {@code X-Forwarded-*}/{@code Forwarded}, the request id, the route's and the policies'
   * headers. Also used for WebSocket handshakes.
   *
   * @throws IllegalArgumentException when a header value cannot be sent over HTTP/1.1
   */
  public static MultiMap upstreamHeaders(RequestContext ctx, CompiledRoute route, TrustedProxies trusted) {
    HttpServerRequest req = ctx.request();
    MultiMap out = HttpHeaders.headers();
    HopByHopHeaders.copyEndToEnd(req.headers(), out, route.requestHeadersNotCopied());
    ForwardedHeaders.apply(req, out, trusted);
    out.set(RequestIdHeader.NAME, ctx.requestId());
    route.setHeaders().forEach(out::set);
    var added = ctx.upstreamHeaders();
    for (int i = 0; i < added.size(); i += 2) {
      out.set(added.get(i), added.get(i + 1));
    }
    return out;
  }

  private void send(RequestContext ctx, HttpClientRequest up, long contentLength, Target target, Attempts attempts) {
    HttpServerRequest req = ctx.request();
    CompiledRoute route = ctx.route();
    if (ctx.clientGone()) {
      up.reset();
      return;
    }
    ctx.onClientGone(up::reset);
    // Failures surface through the response future and the pipes; this only keeps resets out of the error log.
    up.exceptionHandler(error -> LOG.debug("upstream request {} ended: {}", ctx.requestId(), error.toString()));
    if (route.preserveHost() && req.authority() != null) {
      up.authority(req.authority());
    }
    long sentNanos = System.nanoTime();
    up.response().onComplete(ar -> onResponse(ctx, up, ar, target, attempts, sentNanos));
    UploadProgress progress = new UploadProgress(sentNanos);
    long timeoutNanos = route.responseTimeoutMs() * 1_000_000L;
    if (attempts != null) {
      timeoutNanos = attempts.responseTimeoutNanos(timeoutNanos);
      if (attempts.isBodyStarted()) {
        // A replay: the request has ended, and it had no body or its (small) body was kept.
        Buffer kept = attempts.keptBody();
        if (kept != null) {
          up.end(kept.copy());
        } else {
          up.end();
        }
        progress.completed(System.nanoTime());
        armResponseTimer(ctx, up, target, progress, timeoutNanos);
        return;
      }
      attempts.bodyStarted();
    }
    if (Framing.expectsContinue(req)) {
      // Policies passed and the size is acceptable: now invite the body (RFC 9110 §10.1.1).
      req.response().writeContinue();
    }
    ReadStream<Buffer> body = req;
    if (contentLength > 0 || Framing.mayHaveUnsizedBody(req)) {
      // Unsized bodies go chunked, but only once a first byte exists: a bodiless HTTP/2 GET stays bodiless.
      Runnable first = contentLength < 0 ? () -> up.setChunked(true) : null;
      LimitedBody limited = new LimitedBody(req, route.maxBodySize(), progress, first);
      body = attempts != null && attempts.keepsBody() ? limited.tap(attempts::keep) : limited;
    }
    armResponseTimer(ctx, up, target, progress, timeoutNanos);
    Pipe<Buffer> pipe = body.pipe();
    pipe.endOnFailure(false);
    pipe.to(up).onComplete(sent -> {
      if (sent.succeeded()) {
        progress.completed(System.nanoTime());
      } else if (sent.cause() instanceof BodyTooLargeException) {
        // Answer first: the reset fails the pending response, and that failure must not turn the 413 into a 502.
        ProblemResponder.respond(ctx, bodyTooLarge(route));
        up.reset();
      } else {
        // Never complete a partial request. If the client broke off, say so before the reset fails the response.
        if (progress.hasClientFailed()) {
          ctx.clientClosed();
        }
        ctx.rejection("request-aborted");
        up.reset();
      }
    });
  }

  /**
   * One deadline per request for the response head (an entry in this event loop's {@link Deadlines}, not a timer):
   * it fires after {@code timeoutNanos} without progress — no body chunk moving upstream, or no answer after the
   * body — and re-arms itself from the last progress while the body keeps moving.
   */
  private void armResponseTimer(RequestContext ctx, HttpClientRequest up, Target target, UploadProgress progress,
      long timeoutNanos) {
    ctx.responseTimer(deadlines.arm(progress.lastActivityNanos(), timeoutNanos, () -> {
      if (ctx.upstreamHeadersNanos() >= 0 || ctx.clientGone()) {
        return;
      }
      if (progress.remainingNanos(timeoutNanos, System.nanoTime()) > 0) {
        armResponseTimer(ctx, up, target, progress, timeoutNanos);
      } else {
        onResponseTimeout(ctx, up, target, progress);
      }
    }));
  }

  /**
   * No progress for the timeout. The upstream's fault (504, counted against the target) when the whole body was
   * sent or the upstream stopped reading it; the client's (408, the target is not blamed) when the body simply
   * stopped arriving — a stalled or slow client must not get healthy targets ejected.
   */
  private void onResponseTimeout(RequestContext ctx, HttpClientRequest up, Target target, UploadProgress progress) {
    CompiledRoute route = ctx.route();
    boolean upstreamStalled = progress.isComplete() || up.writeQueueFull();
    // Answer first: the reset fails the pending response, and that failure must not turn the answer into a 502.
    Tracing.attemptFailed(ctx, new TimeoutException("no response within " + route.responseTimeoutMs() + " ms"));
    if (upstreamStalled) {
      target.failed();
      ProblemResponder.respond(ctx, UpstreamErrors.responseTimeout(route.service().name(), route.responseTimeoutMs()));
    } else {
      ProblemResponder.respond(ctx, GatewayFailure.of(ProblemType.REQUEST_TIMEOUT,
          "the request body stopped arriving for " + route.responseTimeoutMs() + " ms"));
    }
    up.reset();
  }

  private void onResponse(RequestContext ctx, HttpClientRequest up, AsyncResult<HttpClientResponse> ar,
      Target target, Attempts attempts, long sentNanos) {
    ctx.cancelResponseTimer();
    HttpServerResponse resp = ctx.response();
    if (ar.failed()) {
      if (ctx.clientGone() || resp.closed()) {
        return; // the client left first: nobody to answer, and no gateway error to report
      }
      if (resp.ended()) {
        return; // answered already (413, 504 counted there); the reset that ended the exchange is ours
      }
      target.failed(); // reset or closed before the head
      Tracing.attemptFailed(ctx, ar.cause());
      if (!retry(ctx, attempts, RetryPolicy.Failure.RESET, null)) {
        ProblemResponder.respond(ctx, UpstreamErrors.onExchange(ctx.route().service().name(), ar.cause()));
      }
      return;
    }
    HttpClientResponse upResp = ar.result();
    Tracing.attemptAnswered(ctx, upResp.statusCode());
    long headNanos = System.nanoTime() - sentNanos; // judged against the circuit breaker's slow-call duration
    if (resp.ended() || resp.closed()) {
      up.reset();
      return;
    }
    boolean serverError = upResp.statusCode() >= 500;
    if (serverError) {
      target.failed();
    }
    if (attempts != null && ctx.route().retries().retriesStatus(upResp.statusCode())
        && retry(ctx, attempts, RetryPolicy.Failure.STATUS, upResp)) {
      discard(up, upResp);
      return;
    }
    ctx.upstreamHeadersReceived(System.nanoTime());
    copyResponseHead(ctx, upResp, resp);
    ctx.route().policies().onResponse(ctx);
    Pipe<Buffer> pipe = EventStreamBody.of(vertx, ctx, upResp, up::reset).pipe();
    pipe.endOnFailure(false);
    boolean closeAfter = ctx.request().version() == HttpVersion.HTTP_1_0
        && !resp.headers().contains(HttpHeaders.CONTENT_LENGTH);
    pipe.to(resp).onComplete(done -> {
      if (done.succeeded() && !serverError) {
        target.succeeded(headNanos); // only a whole answer counts as a success for outlier detection
      } else if (done.failed() && !ctx.clientGone() && !resp.closed()) {
        target.failed(); // the upstream died mid-body: a target that always does so gets ejected
      }
      if (done.succeeded() && closeAfter) {
        // HTTP/1.0 has no chunking: without a length, only closing the connection ends the body.
        ctx.request().connection().close();
      } else if (done.failed()) {
        // Upstream died mid-body (or the client left): abort, so the client cannot mistake it for complete.
        ctx.rejection("response-aborted");
        resp.reset();
        up.reset();
      }
    });
  }

  /**
   * Drops a response that is retried. A small sized body is read and thrown away so the connection goes back to the
   * pool; anything else resets the stream rather than reading an unbounded body nobody wants.
   */
  private static void discard(HttpClientRequest up, HttpClientResponse upResp) {
    String length = upResp.headers().get(HttpHeaders.CONTENT_LENGTH);
    if (length != null && length.length() <= 5 && Long.parseLong(length) <= DISCARD_LIMIT) {
      upResp.body();
    } else {
      up.reset();
    }
  }

  private static void copyResponseHead(RequestContext ctx, HttpClientResponse upResp, HttpServerResponse resp) {
    resp.setStatusCode(upResp.statusCode());
    if (upResp.statusMessage() != null) {
      resp.setStatusMessage(upResp.statusMessage());
    }
    MultiMap out = resp.headers();
    HopByHopHeaders.copyEndToEnd(upResp.headers(), out, HOP_BY_HOP);
    out.set(RequestIdHeader.NAME, ctx.requestId());
    out.set(RESPONSE_TIME_HEADER, Durations.millis(ctx.upstreamHeadersNanos()));
    HttpServerRequest req = ctx.request();
    boolean sized = out.contains(HttpHeaders.CONTENT_LENGTH);
    if (!sized && req.version() == HttpVersion.HTTP_1_1
        && Framing.responseMayHaveBody(req.method(), upResp.statusCode())) {
      resp.setChunked(true);
    }
  }

  private static GatewayFailure bodyTooLarge(CompiledRoute route) {
    return GatewayFailure.of(ProblemType.BODY_TOO_LARGE,
        "request body exceeds the limit of " + route.maxBodySize() + " bytes for route '" + route.id() + "'");
  }


}
