package io.tollgate.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * The generic cell rate algorithm on one key, in whole microseconds; the Lua script in {@link GcraScript}
 * performs exactly these steps, so both limiters decide alike (checked by {@code GcraParityIT}).
 *
 * <p>State per key is its theoretical arrival time (TAT). A request at {@code now} is allowed when
 * {@code max(tat, now) + emission - tolerance <= now}; it then moves TAT to {@code max(tat, now) + emission}.
 * A key whose TAT is in the past is the same as an absent key (full burst), which is why keys may expire then.
 */
final class Gcra {

  private Gcra() {}

  /** One limit's verdict at {@code now}; {@code newTat} is the state to store if the request goes ahead. */
  record Verdict(boolean allowed, long remaining, long retryAfterMicros, long resetAfterMicros, long newTat) {}

  /** @param storedTat the key's TAT, or {@code null} when the key is absent */
  static Verdict evaluate(Long storedTat, long now, RateLimit limit) {
    long emission = limit.emissionMicros();
    long tolerance = limit.toleranceMicros();
    long tat = storedTat == null || storedTat < now ? now : storedTat;
    long newTat = tat + emission;
    long allowAt = newTat - tolerance;
    if (now < allowAt) {
      return new Verdict(false, 0, allowAt - now, tat - now, tat);
    }
    return new Verdict(true, (now + tolerance - newTat) / emission, 0, newTat - now, newTat);
  }

  /** Combines per-limit verdicts (same order as {@code limits}) into one decision; see {@link Decision}. */
  static Decision decide(List<RateLimit> limits, List<Verdict> verdicts) {
    boolean allowed = allowed(limits, verdicts);
    boolean anyEnforced = limits.stream().anyMatch(RateLimit::enforced);
    int deciding = -1;
    List<RateLimit> shadowDenied = List.of();
    for (int i = 0; i < verdicts.size(); i++) {
      Verdict v = verdicts.get(i);
      RateLimit limit = limits.get(i);
      if (!limit.enforced() && !v.allowed()) {
        shadowDenied = shadowDenied.isEmpty() ? new ArrayList<>(2) : shadowDenied;
        shadowDenied.add(limit);
      }
      if (limit.enforced() != anyEnforced) {
        continue;
      }
      if (allowed) {
        if (deciding < 0 || v.remaining() < verdicts.get(deciding).remaining()) {
          deciding = i;
        }
      } else if (!v.allowed()
          && (deciding < 0 || v.retryAfterMicros() > verdicts.get(deciding).retryAfterMicros())) {
        deciding = i;
      }
    }
    Verdict v = verdicts.get(deciding);
    return new Decision(allowed, allowed ? Math.max(0, v.remaining()) : 0,
        micros(allowed ? 0 : v.retryAfterMicros()), micros(v.resetAfterMicros()), limits.get(deciding),
        shadowDenied);
  }

  /** True when every enforced limit allows (shadow limits never deny). */
  static boolean allowed(List<RateLimit> limits, List<Verdict> verdicts) {
    for (int i = 0; i < verdicts.size(); i++) {
      if (limits.get(i).enforced() && !verdicts.get(i).allowed()) {
        return false;
      }
    }
    return true;
  }

  /** Rejects what no limiter can decide: no limits, or two limits on one key (their updates would collide). */
  static void validate(List<RateLimit> limits) {
    if (limits == null || limits.isEmpty()) {
      throw new IllegalArgumentException("a request needs at least one rate limit");
    }
    HashSet<String> keys = new HashSet<>();
    for (RateLimit limit : limits) {
      if (!keys.add(limit.key())) {
        throw new IllegalArgumentException("two limits of one request share the key " + limit.key());
      }
    }
  }

  private static Duration micros(long micros) {
    return Duration.ofNanos(Math.multiplyExact(micros, 1_000L));
  }
}
