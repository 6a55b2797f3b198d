package io.tollgate.observability;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Named event counters shared by every event loop ({@link LongAdder}: contention-free increments). Counted today:
 * {@code auth.rejected.<reason>} and {@code auth.forbidden}. Shown on the management {@code /status} and, through
 * {@link NodeMeters}, on {@code /metrics} ({@code tollgate_ratelimit_decisions_total},
 * {@code tollgate_auth_rejections_total}, {@code tollgate_upstream_ejections_total}), so each event is counted in
 * one place. Also {@code upstream.ejections} and {@code upstream.ejections.<service>}.
 */
public final class Counters {

  private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();

  public void increment(String name) {
    counters.computeIfAbsent(name, n -> new LongAdder()).increment();
  }

  public long get(String name) {
    LongAdder adder = counters.get(name);
    return adder == null ? 0 : adder.sum();
  }

  /** A sorted copy of every counter. */
  public Map<String, Long> snapshot() {
    Map<String, Long> copy = new TreeMap<>();
    counters.forEach((name, adder) -> copy.put(name, adder.sum()));
    return copy;
  }
}
