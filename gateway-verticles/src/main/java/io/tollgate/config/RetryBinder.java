package io.tollgate.config;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Binds a {@code retry:} section of a service or a route (see {@link RetryConfig}). */
final class RetryBinder {

  static final String CONNECT_FAILURE = "connect-failure";
  static final String RESET = "reset";

  private RetryBinder() {
  }

  /** The owner's {@code retry:} section, or {@code fallback} when it has none. */
  static RetryConfig retry(Fields owner, RetryConfig fallback) {
    if (owner.get("retry") == null) {
      return fallback;
    }
    Fields f = owner.section("retry", "attempts", "on", "backoff", "budget", "replayBufferSize");
    Fields backoff = f.section("backoff", "base", "max", "retryAfterMax");
    Fields budget = f.section("budget", "percent", "minPerSecond");
    Duration base = backoff.positiveDuration("base", RetryConfig.DEFAULT_BACKOFF_BASE);
    Duration max = backoff.positiveDuration("max", null);
    if (max != null && max.compareTo(base) < 0) {
      backoff.error("max", "must not be shorter than base");
    }
    Set<String> conditions = new LinkedHashSet<>();
    Set<Integer> statuses = new LinkedHashSet<>();
    on(f, conditions, statuses);
    return new RetryConfig(
        f.integer("attempts", RetryConfig.DEFAULT_ATTEMPTS, 1, 10),
        conditions.contains(CONNECT_FAILURE), conditions.contains(RESET), statuses,
        base, max == null || max.compareTo(base) < 0 ? maxOf(base, RetryConfig.DEFAULT_BACKOFF_MAX) : max,
        backoff.duration("retryAfterMax", RetryConfig.DEFAULT_RETRY_AFTER_MAX),
        budget.integer("percent", RetryConfig.DEFAULT_BUDGET_PERCENT, 0, 100),
        budget.integer("minPerSecond", RetryConfig.DEFAULT_BUDGET_MIN_PER_SECOND, 0, 10_000),
        f.size("replayBufferSize", 0L, 0, RetryConfig.MAX_REPLAY_BUFFER));
  }

  /** {@code on:} — condition names and statuses; absent means connect failures, resets, 502, 503 and 504. */
  private static void on(Fields f, Set<String> conditions, Set<Integer> statuses) {
    ConfigNode node = f.get("on");
    if (node == null) {
      conditions.addAll(List.of(CONNECT_FAILURE, RESET));
      statuses.addAll(RetryConfig.DEFAULT_STATUSES);
      return;
    }
    for (ConfigNode item : node.list()) {
      String text = item.string();
      if (text == null) {
        continue;
      }
      if (text.equals(CONNECT_FAILURE) || text.equals(RESET)) {
        conditions.add(text);
      } else if (text.matches("[0-9]{3}") && Integer.parseInt(text) >= 400 && Integer.parseInt(text) <= 599) {
        statuses.add(Integer.parseInt(text));
      } else {
        item.error("unknown retry condition '" + text + "' (expected " + CONNECT_FAILURE + ", " + RESET
            + " or a status 400-599)");
      }
    }
  }

  private static Duration maxOf(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
