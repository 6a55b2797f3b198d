package io.tollgate.ratelimit;

import java.time.Duration;
import java.util.List;

/**
 * The IETF {@code RateLimit-Policy} and {@code RateLimit} response fields (draft-ietf-httpapi-ratelimit-headers,
 * structured-field form) and {@code Retry-After}.
 *
 * <pre>
 *   RateLimit-Policy: "per-second";q=10;w=1, "per-minute";q=1000;w=60
 *   RateLimit: "per-second";r=3;t=1
 * </pre>
 *
 * {@code q} is the quota per window {@code w} (whole seconds; another period is scaled to the next whole second),
 * {@code r} the requests left under the deciding limit, {@code t} seconds until it is full again (for a 429: until
 * a retry can succeed). Seconds are rounded up, so a client that waits them never retries early.
 */
final class RateLimitHeaders {

  static final String POLICY = "RateLimit-Policy";
  static final String RATE_LIMIT = "RateLimit";

  private RateLimitHeaders() {
  }

  /** The {@code RateLimit-Policy} value for the enforced limits among {@code limits}; null when there are none. */
  static String policy(List<RateLimit> limits) {
    StringBuilder sb = new StringBuilder();
    for (RateLimit limit : limits) {
      if (!limit.enforced()) {
        continue;
      }
      long periodMicros = Math.max(1, limit.period().toNanos() / 1_000);
      long window = Math.max(1, ceilSeconds(limit.period()));
      // A period of whole seconds is advertised as is; any other is scaled to the next whole second, rounded down
      // (1.5 s → its quota per 2 s; 100 ms → per 1 s), so the advertised quota is never more than is admitted.
      long quota = periodMicros % 1_000_000 == 0 ? limit.permits()
          : Math.max(1, (long) Math.floor((double) limit.permits() * window * 1_000_000 / periodMicros));
      if (sb.length() > 0) {
        sb.append(", ");
      }
      sb.append('"').append(limit.name()).append("\";q=").append(quota).append(";w=").append(window);
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  /** The {@code RateLimit} value for {@code decision}. */
  static String rateLimit(Decision decision) {
    Duration t = decision.allowed() ? decision.resetAfter() : decision.retryAfter();
    return "\"" + decision.limit().name() + "\";r=" + decision.remaining() + ";t=" + ceilSeconds(t);
  }

  /** {@code Retry-After} in whole seconds, at least 1. */
  static String retryAfter(Duration retryAfter) {
    return Long.toString(Math.max(1, ceilSeconds(retryAfter)));
  }

  static long ceilSeconds(Duration d) {
    long nanos = d.toNanos();
    return nanos <= 0 ? 0 : (nanos + 999_999_999L) / 1_000_000_000L;
  }
}
