package io.tollgate.observability;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram family of durations with one label ({@code route} or {@code service}), recorded on the
 * request path and rendered as text exposition (format 0.0.4) at scrape time: {@code <name>_bucket{label,le}},
 * {@code _count} and {@code _sum} in seconds, cumulative buckets, {@code +Inf} = count.
 *
 * <p>Why not a Micrometer {@code Timer}: recording one costs ≈ 70 ns on a hot loop (count, total, a time-windowed
 * max with clock reads and CAS loops, then the buckets), and the data plane records three per request; this one is
 * a short scan of the bounds and two uncontended adds (docs/benchmarks.md, ADR 0005). There is no {@code _max}.
 *
 * <p>Thread-safe: any event loop records; children are created once per label value and cached by the caller.
 */
public final class HistogramFamily {

  private final String name;
  private final String help;
  private final String label;
  private final long[] boundsNanos;
  private final String[] boundsText;
  private final ConcurrentMap<String, Child> children = new ConcurrentHashMap<>();

  /**
   * @param name    full Prometheus name in base units, e.g. {@code tollgate_request_duration_seconds}
   * @param label   the one label's name, e.g. {@code route}
   * @param buckets upper bounds, ascending
   */
  public HistogramFamily(String name, String help, String label, Duration... buckets) {
    this.name = name;
    this.help = help;
    this.label = label;
    this.boundsNanos = new long[buckets.length];
    this.boundsText = new String[buckets.length];
    for (int i = 0; i < buckets.length; i++) {
      boundsNanos[i] = buckets[i].toNanos();
      if (i > 0 && boundsNanos[i] <= boundsNanos[i - 1]) {
        throw new IllegalArgumentException("bucket bounds must ascend: " + java.util.List.of(buckets));
      }
      boundsText[i] = seconds(boundsNanos[i]);
    }
  }

  /** The histogram of one label value, created on first use. */
  public Child child(String labelValue) {
    Child child = children.get(labelValue);
    return child != null ? child : children.computeIfAbsent(labelValue, v -> new Child(boundsNanos.length));
  }

  /** Drops the children whose label value is not in {@code kept} (a route or service left the config). */
  public void retain(Set<String> kept) {
    children.keySet().retainAll(kept);
  }

  /** Appends the family (HELP, TYPE, then every child's series) when it has any child. */
  public void render(StringBuilder out) {
    if (children.isEmpty()) {
      return;
    }
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" histogram\n");
    children.forEach((value, child) -> child.render(out, value));
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%s", nanos / 1e9);
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** The histogram of one label value. */
  public final class Child {

    private final LongAdder[] buckets; // non-cumulative; the last one is "above every bound"
    private final LongAdder sumNanos = new LongAdder();

    private Child(int bounds) {
      buckets = new LongAdder[bounds + 1];
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }

    /** Records one duration; negative ones count as 0. */
    public void record(long nanos) {
      long value = Math.max(0, nanos);
      int i = 0;
      while (i < boundsNanos.length && value > boundsNanos[i]) {
        i++;
      }
      buckets[i].increment();
      sumNanos.add(value);
    }

    /** Recorded durations so far. */
    public long count() {
      long count = 0;
      for (LongAdder bucket : buckets) {
        count += bucket.sum();
      }
      return count;
    }

    private void render(StringBuilder out, String value) {
      String labels = label + "=\"" + escape(value) + "\"";
      long cumulative = 0;
      for (int i = 0; i < boundsNanos.length; i++) {
        cumulative += buckets[i].sum();
        out.append(name).append("_bucket{").append(labels).append(",le=\"").append(boundsText[i]).append("\"} ")
            .append(cumulative).append('\n');
      }
      // Read the last bucket once and derive the count from it, so +Inf and _count agree within one scrape.
      cumulative += buckets[boundsNanos.length].sum();
      out.append(name).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(cumulative).append('\n');
      out.append(name).append("_count{").append(labels).append("} ").append(cumulative).append('\n');
      out.append(name).append("_sum{").append(labels).append("} ").append(seconds(sumNanos.sum())).append('\n');
    }
  }
}
