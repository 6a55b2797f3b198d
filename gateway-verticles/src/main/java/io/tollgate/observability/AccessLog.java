package io.tollgate.observability;

import io.tollgate.pipeline.RequestContext;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JSON line per request on the SLF4J logger {@code tollgate.access} (logback sends it through a
 * non-blocking async appender, so the event loop never waits on stdout).
 *
 * <p>Fields: {@code time}, {@code requestId}, {@code traceId} (sampled requests only), {@code client}, {@code protocol}, {@code method}, {@code path}
 * (normalised; the query string is never logged — it may carry secrets), {@code route}, {@code upstream}
 * ({@code host:port}), {@code status} (0 if no response head was sent), {@code bytesIn}, {@code bytesOut}, {@code durationMs} (until the response
 * ended), {@code upstreamMs} (until upstream response headers), {@code rejection} (problem slug or abort reason),
 * {@code notes} (what policies noted without rejecting, e.g. {@code rate-limit-shadow-denied:<limit>}).
 * Absent facts are {@code null}.
 */
public final class AccessLog {

  private static final Logger LOG = LoggerFactory.getLogger("tollgate.access");

  private AccessLog() {
  }

  /** Logs {@code ctx} once it finished (ended or aborted). */
  public static void log(RequestContext ctx) {
    if (!LOG.isInfoEnabled()) {
      return;
    }
    LOG.info(line(ctx, System.nanoTime()));
  }

  static String line(RequestContext ctx, long nowNanos) {
    HttpServerRequest req = ctx.request();
    HttpServerResponse resp = req.response();
    StringBuilder sb = new StringBuilder(320).append('{');
    field(sb, "time", Instant.now().toString()).append(',');
    field(sb, "requestId", ctx.requestId()).append(',');
    field(sb, "traceId", Tracing.traceId(ctx)).append(',');
    field(sb, "client", req.remoteAddress() == null ? null : req.remoteAddress().hostAddress()).append(',');
    field(sb, "protocol", req.version() == null ? null : req.version().alpnName()).append(',');
    field(sb, "method", req.method().name()).append(',');
    field(sb, "path", ctx.normalizedPath() != null ? ctx.normalizedPath() : req.path()).append(',');
    field(sb, "route", ctx.route() == null ? null : ctx.route().id()).append(',');
    field(sb, "upstream", ctx.upstream()).append(',');
    // 0 when no response head was ever sent (the client left first, as nginx's 499 would say).
    sb.append("\"status\":").append(resp.headWritten() ? resp.getStatusCode() : 0).append(',');
    sb.append("\"bytesIn\":").append(req.bytesRead()).append(',');
    sb.append("\"bytesOut\":").append(resp.bytesWritten()).append(',');
    sb.append("\"durationMs\":").append(Durations.millis(nowNanos - ctx.startNanos())).append(',');
    sb.append("\"upstreamMs\":");
    if (ctx.upstreamHeadersNanos() < 0) {
      sb.append("null");
    } else {
      sb.append(Durations.millis(ctx.upstreamHeadersNanos()));
    }
    sb.append(',');
    field(sb, "rejection", ctx.rejection()).append(',');
    field(sb, "notes", ctx.notes());
    return sb.append('}').toString();
  }


  private static StringBuilder field(StringBuilder sb, String name, String value) {
    sb.append('"').append(name).append("\":");
    if (value == null) {
      return sb.append("null");
    }
    sb.append('"');
    escape(sb, value);
    return sb.append('"');
  }

  /** JSON string escaping (RFC 8259 §7); control characters as {@code \\u00XX}. */
  static void escape(StringBuilder sb, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
  }
}
