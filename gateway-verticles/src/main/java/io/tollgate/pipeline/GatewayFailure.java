package io.tollgate.pipeline;

import io.tollgate.problem.ProblemType;
import java.util.Map;

/**
 * A typed reason to answer the client with an error instead of proxying. Rendered as RFC 9457
 * {@code application/problem+json} by {@code ProblemResponder}, the single place that writes error bodies.
 *
 * @param type    what went wrong (status, type URI, title)
 * @param detail  human-readable explanation for this occurrence; never contains secrets or internal URLs
 * @param headers extra response headers (e.g. {@code Allow} for 405, {@code Retry-After} for 503)
 */
public record GatewayFailure(ProblemType type, String detail, Map<String, String> headers) {

  public GatewayFailure {
    headers = Map.copyOf(headers);
  }

  public static GatewayFailure of(ProblemType type, String detail) {
    return new GatewayFailure(type, detail, Map.of());
  }

  public GatewayFailure withHeader(String name, String value) {
    var copy = new java.util.HashMap<>(headers);
    copy.put(name, value);
    return new GatewayFailure(type, detail, copy);
  }

  public int status() {
    return type.status();
  }
}
