package io.tollgate.observability;

import java.util.Locale;

/**
 * The bounded {@code reason} label of {@code tollgate_rejections_total}: every problem slug the gateway answers
 * with ({@code ProblemType}, plus the {@code unauthorized:<detail>} forms the authentication policy records) falls
 * into one of these groups, so a new slug can never add a series by itself — an unknown one counts as
 * {@link #OTHER}.
 */
public enum RejectionReason {
  /** {@code unauthorized} (any detail), {@code forbidden}. */
  AUTH,
  /** {@code not-found} (only the ownership policy answers it), {@code ownership-not-ready}. */
  OWNERSHIP,
  /** {@code rate-limited}, {@code rate-limiter-unavailable}. */
  RATE_LIMIT,
  /** {@code body-too-large}, {@code uri-too-long}, {@code headers-too-large}. */
  SIZE,
  /** {@code concurrency-limited}. */
  CONCURRENCY,
  /** {@code route-not-found}, {@code method-not-allowed}. */
  ROUTING,
  /** {@code bad-request}, {@code invalid-path}, {@code ambiguous-framing}. */
  INVALID,
  /** {@code bad-gateway}, {@code upstream-unavailable}, {@code gateway-timeout}, {@code circuit-open}. */
  UPSTREAM,
  /** Anything else: {@code internal-error}, {@code not-ready}, {@code shutting-down}, slugs added later. */
  OTHER;

  private final String label = name().toLowerCase(Locale.ROOT);

  /** The label value: the constant's name in lower case ({@code rate_limit}). */
  public String label() {
    return label;
  }

  /**
   * The group of {@code slug} (a request context's {@code rejection()}); null when nothing was rejected — no slug,
   * or an abort ({@code client-closed}, {@code request-aborted}, {@code response-aborted}): the client or a
   * stream broke off, the gateway refused nothing.
   */
  public static RejectionReason of(String slug) {
    if (slug == null) {
      return null;
    }
    return switch (slug) {
      case "unauthorized", "forbidden" -> AUTH;
      case "not-found", "ownership-not-ready" -> OWNERSHIP;
      case "rate-limited", "rate-limiter-unavailable" -> RATE_LIMIT;
      case "body-too-large", "uri-too-long", "headers-too-large" -> SIZE;
      case "concurrency-limited" -> CONCURRENCY;
      case "route-not-found", "method-not-allowed" -> ROUTING;
      case "bad-request", "invalid-path", "ambiguous-framing", "request-timeout" -> INVALID;
      case "bad-gateway", "upstream-unavailable", "gateway-timeout", "circuit-open" -> UPSTREAM;
      case "client-closed", "request-aborted", "response-aborted" -> null;
      // AuthenticationPolicy records unauthorized:<why> (missing-credentials, expired, …).
      default -> slug.startsWith("unauthorized:") ? AUTH : OTHER;
    };
  }
}
