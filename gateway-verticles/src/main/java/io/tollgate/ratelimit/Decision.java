package io.tollgate.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * The answer for one request and all of its limits.
 *
 * <p>When several limits apply, the request is allowed only if every enforced limit allows it (then each limit
 * that allowed consumed one permit); otherwise none consumed anything. {@link #limit()} names the limit that
 * decided: when denied, the denying limit with the longest {@link #retryAfter()} (retrying earlier would be denied
 * again); when allowed, the enforced limit with the fewest permits left (the one to advertise in {@code RateLimit}
 * headers), or a shadow limit when no limit is enforced. Shadow limits ({@link RateLimit#enforced()} false) never
 * decide a denial; those that would have denied are listed in {@link #shadowDenied()}.
 *
 * @param allowed    whether the request may proceed
 * @param remaining  permits {@link #limit()} still admits right now (0 when denied)
 * @param retryAfter when a retry could succeed; {@link Duration#ZERO} when allowed
 * @param resetAfter until {@link #limit()} is back to its full burst if nothing else arrives
 * @param limit      the deciding limit
 * @param shadowDenied shadow limits that would have denied this request; usually empty
 */
public record Decision(boolean allowed, long remaining, Duration retryAfter, Duration resetAfter, RateLimit limit,
    java.util.List<RateLimit> shadowDenied) {

  public Decision {
    Objects.requireNonNull(retryAfter, "retryAfter");
    Objects.requireNonNull(resetAfter, "resetAfter");
    Objects.requireNonNull(limit, "limit");
    shadowDenied = java.util.List.copyOf(shadowDenied);
    if (allowed && !retryAfter.isZero()) {
      throw new IllegalArgumentException("an allowed decision has no retryAfter");
    }
  }

  /** {@code true} when the request is rejected. */
  public boolean denied() {
    return !allowed;
  }
}
