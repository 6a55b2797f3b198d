package io.tollgate.config;

import java.time.Duration;
import java.util.List;

/**
 * One rate limit ({@code rateLimiting.policies.<name>[i]} or {@code routes[i].rateLimit[j]}): {@code requests} per
 * {@code period}, at most {@code burst} at once, counted per value of {@code key}.
 *
 * @param name     unique within its policy; shown in {@code RateLimit} headers, logs and counters
 * @param requests permits per period, at least 1
 * @param period   the period, positive
 * @param burst    requests an idle client may send at once; default {@code requests}
 * @param key      what the count is kept per: {@code ip}, {@code sub}, {@code tenant}, {@code consumer},
 *                 {@code route}, {@code header:<name>}, {@code claim:<name>}, or several; default {@code [ip]}
 * @param failMode what happens while Redis is unavailable; default {@link FailMode#LOCAL}
 * @param enforce  {@code false} = shadow mode: decisions counted and logged, nothing rejected; default {@code true}
 */
public record LimitConfig(
    String name, long requests, Duration period, long burst, List<String> key, FailMode failMode, boolean enforce) {

  public LimitConfig {
    key = List.copyOf(key);
  }

  /** What a limit does while its store (Redis) cannot decide. */
  public enum FailMode {
    /** Allow the request and count it. */
    FAIL_OPEN("fail-open"),
    /** Answer 503. */
    FAIL_CLOSED("fail-closed"),
    /** Decide in process, with this node's share of the limit ({@code 1/expectedNodes}). */
    LOCAL("local");

    private final String text;

    FailMode(String text) {
      this.text = text;
    }

    /** The YAML spelling, e.g. {@code fail-open}. */
    public String text() {
      return text;
    }
  }
}
