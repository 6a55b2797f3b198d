package io.tollgate.loadtests;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * What {@link Scenario} measured, per {@link ScenarioClass}: answers by status, expected and unexpected counts (with
 * the first few unexpected answers as examples) and latency; plus the legitimate share's latency. Used from the
 * generator's one event loop only.
 */
final class ScenarioTally {

  private static final int EXAMPLES = 5;

  private final Map<ScenarioClass, PerClass> classes = new EnumMap<>(ScenarioClass.class);
  private final Histogram legitimate = histogram();

  ScenarioTally() {
    for (ScenarioClass kind : ScenarioClass.values()) {
      classes.put(kind, new PerClass());
    }
  }

  void record(ScenarioClass kind, long latencyNanos, Scenario.Answer answer) {
    PerClass tally = classes.get(kind);
    tally.latency.recordValue(Math.max(0, latencyNanos));
    tally.byStatus.merge(answer.status() == 0 ? "error" : Integer.toString(answer.status()), 1L, Long::sum);
    if (answer.unexpected() != null) {
      tally.unexpected++;
      if (tally.examples.size() < EXAMPLES) {
        tally.examples.add(answer.unexpected());
      }
    }
    if (kind.legitimate) {
      legitimate.recordValue(Math.max(0, latencyNanos));
    }
  }

  long unexpected() {
    return classes.values().stream().mapToLong(c -> c.unexpected).sum();
  }

  boolean passed(double p99LimitMs) {
    return unexpected() == 0 && legitimate.getTotalCount() > 0 && ms(legitimate, 99) < p99LimitMs;
  }

  String failureReason(double p99LimitMs) {
    return unexpected() + " unexpected answers; legitimate share " + legitimate.getTotalCount() + " requests, p99 "
        + ms(legitimate, 99) + " ms (limit " + p99LimitMs + " ms)";
  }

  JsonObject toJson() {
    JsonObject perClass = new JsonObject();
    classes.forEach((kind, tally) -> perClass.put(kind.label, latencies(tally.latency)
        .put("legitimate", kind.legitimate).put("requests", tally.latency.getTotalCount())
        .put("expected", tally.latency.getTotalCount() - tally.unexpected).put("unexpected", tally.unexpected)
        .put("byStatus", new JsonObject(new TreeMap<>(tally.byStatus))).put("unexpectedExamples",
            new JsonArray(tally.examples))));
    return new JsonObject().put("classes", perClass).put("legitimateShare", latencies(legitimate)
        .put("requests", legitimate.getTotalCount())).put("unexpected", unexpected());
  }

  String table(int seconds) {
    StringBuilder out = new StringBuilder(String.format("%-15s %9s %8s %10s  %-22s %8s %8s %8s %8s%n", "class",
        "requests", "req/s", "unexpected", "by status", "p50 ms", "p99 ms", "p99.9 ms", "max ms"));
    classes.forEach((kind, tally) -> out.append(row(kind.label, tally.latency, tally.unexpected,
        new TreeMap<>(tally.byStatus).toString(), seconds)));
    out.append(row("legitimate", legitimate, classes.entrySet().stream().filter(e -> e.getKey().legitimate)
        .mapToLong(e -> e.getValue().unexpected).sum(), "(read-owned + upload)", seconds));
    classes.forEach((kind, tally) -> tally.examples.forEach(e -> out.append("  unexpected ").append(kind.label)
        .append(": ").append(e).append('\n')));
    return out.toString();
  }

  private static String row(String label, Histogram h, long unexpected, String statuses, int seconds) {
    return String.format("%-15s %9d %8.0f %10d  %-22s %8.2f %8.2f %8.2f %8.2f%n", label, h.getTotalCount(),
        h.getTotalCount() / (double) seconds, unexpected, statuses, ms(h, 50), ms(h, 99), ms(h, 99.9),
        h.getMaxValue() / 1e6);
  }

  private static JsonObject latencies(Histogram h) {
    return new JsonObject().put("p50Ms", ms(h, 50)).put("p90Ms", ms(h, 90)).put("p99Ms", ms(h, 99))
        .put("p999Ms", ms(h, 99.9)).put("maxMs", Math.round(h.getMaxValue() / 1e3) / 1e3);
  }

  private static double ms(Histogram h, double percentile) {
    return Math.round(h.getValueAtPercentile(percentile) / 1e3) / 1e3;
  }

  private static Histogram histogram() {
    return new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
  }

  private static final class PerClass {
    final Histogram latency = histogram();
    final Map<String, Long> byStatus = new TreeMap<>();
    final List<String> examples = new ArrayList<>();
    long unexpected;
  }
}
