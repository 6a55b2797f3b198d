package io.tollgate.problem;

/**
 * Every kind of rejection the gateway produces, with its HTTP status and RFC 9457 {@code type} URI.
 *
 * <p>The {@code type} URIs are stable identifiers (documented in {@code docs/errors.md}); clients may switch on
 * them. Titles are short, human, and constant per type (RFC 9457 §3.1.3); details vary per occurrence.
 */
public enum ProblemType {
  BAD_REQUEST(400, "bad-request", "Bad Request"),
  AMBIGUOUS_FRAMING(400, "ambiguous-framing", "Ambiguous Message Framing"),
  INVALID_PATH(400, "invalid-path", "Invalid Request Path"),
  UNAUTHORIZED(401, "unauthorized", "Unauthorized"),
  FORBIDDEN(403, "forbidden", "Forbidden"),
  ROUTE_NOT_FOUND(404, "route-not-found", "Not Found"),
  NOT_FOUND(404, "not-found", "Not Found"),
  METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method Not Allowed"),
  REQUEST_TIMEOUT(408, "request-timeout", "Request Timeout"),
  BODY_TOO_LARGE(413, "body-too-large", "Content Too Large"),
  URI_TOO_LONG(414, "uri-too-long", "URI Too Long"),
  RATE_LIMITED(429, "rate-limited", "Too Many Requests"),
  HEADERS_TOO_LARGE(431, "headers-too-large", "Request Header Fields Too Large"),
  INTERNAL_ERROR(500, "internal-error", "Internal Gateway Error"),
  BAD_GATEWAY(502, "bad-gateway", "Bad Gateway"),
  UPSTREAM_UNAVAILABLE(503, "upstream-unavailable", "Upstream Unavailable"),
  NOT_READY(503, "not-ready", "Gateway Not Ready"),
  OWNERSHIP_NOT_READY(503, "ownership-not-ready", "Ownership Replica Not Ready"),
  RATE_LIMITER_UNAVAILABLE(503, "rate-limiter-unavailable", "Rate Limiter Unavailable"),
  CONCURRENCY_LIMITED(503, "concurrency-limited", "Too Many Concurrent Requests"),
  SHUTTING_DOWN(503, "shutting-down", "Gateway Shutting Down"),
  CIRCUIT_OPEN(503, "circuit-open", "Circuit Open"),
  GATEWAY_TIMEOUT(504, "gateway-timeout", "Gateway Timeout");

  /** Base of every problem {@code type} URI; the page documents each type. */
  public static final String TYPE_BASE = "https://tollgate.dev/problems/";

  private final int status;
  private final String slug;
  private final String title;
  private final String uri;

  ProblemType(int status, String slug, String title) {
    this.status = status;
    this.slug = slug;
    this.title = title;
    this.uri = TYPE_BASE + slug;
  }

  public int status() {
    return status;
  }

  /** Short stable name, also used as the access log's {@code rejection} field. */
  public String slug() {
    return slug;
  }

  public String title() {
    return title;
  }

  public String uri() {
    return uri;
  }
}
