package io.tollgate.auth.keys;

import java.time.Duration;
import java.util.Locale;

/**
 * When to fetch an issuer's keys next. Pure functions, so the policy is unit-tested without servers or clocks.
 *
 * <ul>
 *   <li>After a success: the response's freshness lifetime — {@code Cache-Control: max-age} minus {@code Age}
 *       (RFC 9111 §4.2) — clamped into {@code [minRefresh, maxRefresh]}; {@code no-store}/{@code no-cache} count as
 *       zero (so {@code minRefresh}); no {@code max-age} at all means {@code maxRefresh}.
 *   <li>After the n-th failure in a row: {@code min(minRefresh, 1 s) × 2^(n-1)}, at most {@code maxRefresh} — a short
 *       outage at startup is bridged within seconds, a long one costs the identity provider a request every
 *       {@code maxRefresh}.
 * </ul>
 */
final class RefreshDelays {

  static final Duration FIRST_RETRY_CAP = Duration.ofSeconds(1);
  private static final long MAX_DELTA_SECONDS = 1L << 31;

  private RefreshDelays() {
  }

  /**
   * The freshness lifetime a JWKS response states, or null when it states none.
   *
   * @param cacheControl the {@code Cache-Control} header, or null
   * @param age          the {@code Age} header (seconds spent in caches on the way), or null
   */
  static Duration freshness(String cacheControl, String age) {
    if (cacheControl == null) {
      return null;
    }
    Long maxAge = null;
    for (String directive : cacheControl.split(",")) {
      String d = directive.strip().toLowerCase(Locale.ROOT);
      if (d.equals("no-store") || d.equals("no-cache")) {
        return Duration.ZERO;
      }
      if (d.startsWith("max-age=")) {
        maxAge = seconds(d.substring("max-age=".length()));
      }
    }
    if (maxAge == null) {
      return null;
    }
    Long spent = age == null ? null : seconds(age.strip());
    return Duration.ofSeconds(Math.max(0, maxAge - (spent == null ? 0 : spent)));
  }

  static Duration afterSuccess(Duration freshness, Duration minRefresh, Duration maxRefresh) {
    if (freshness == null) {
      return maxRefresh;
    }
    return clamp(freshness, minRefresh, maxRefresh);
  }

  /** @param failures consecutive failures so far, at least 1 */
  static Duration afterFailure(int failures, Duration minRefresh, Duration maxRefresh) {
    Duration delay = minRefresh.compareTo(FIRST_RETRY_CAP) < 0 ? minRefresh : FIRST_RETRY_CAP;
    for (int i = 1; i < failures && delay.compareTo(maxRefresh) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(maxRefresh) > 0 ? maxRefresh : delay;
  }

  private static Duration clamp(Duration value, Duration min, Duration max) {
    return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
  }

  /**
   * Delta-seconds (RFC 9111 §1.2.2): digits only (quotes from lenient senders tolerated); values too large to
   * represent become 2^31, as the RFC allows. Anything else is ignored (null).
   */
  private static Long seconds(String value) {
    String v = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1) : value;
    if (v.isEmpty() || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    return v.length() > 10 ? MAX_DELTA_SECONDS : Math.min(Long.parseLong(v), MAX_DELTA_SECONDS);
  }
}
