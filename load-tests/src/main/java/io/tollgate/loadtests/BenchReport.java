package io.tollgate.loadtests;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns the harness's raw lines into the table, a JSON result and an SVG chart. Ratios are taken per round (the
 * contenders of one round ran back to back, interleaved) and then summarised by their median, so machine drift
 * between rounds cancels out.
 *
 * <pre>java -cp tollgate-loadgen.jar io.tollgate.loadtests.BenchReport RAW OUT.json OUT.svg "machine description"</pre>
 *
 * Raw lines: {@code capacity <contender> <round> <rps> <p50ms> <p99ms>} and
 * {@code latency <contender> <round> <load%> <OpenLoop JSON>}.
 */
public final class BenchReport {

  private BenchReport() {
  }

  public static void main(String[] args) throws Exception {
    Map<String, Map<Integer, Double>> capacity = new LinkedHashMap<>();
    Map<String, Map<String, List<JsonObject>>> latency = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of(args[0]))) {
      String[] f = line.trim().split(" ", 5);
      if (f[0].equals("capacity")) {
        capacity.computeIfAbsent(f[1], k -> new TreeMap<>()).put(Integer.parseInt(f[2]), Double.parseDouble(f[3]));
      } else if (f[0].equals("latency")) {
        latency.computeIfAbsent(f[1], k -> new LinkedHashMap<>()).computeIfAbsent(f[3], k -> new ArrayList<>())
            .add(new JsonObject(f[4]));
      }
    }
    JsonObject result = new JsonObject().put("machine", args.length > 3 ? args[3] : "").put("capacity",
        capacityTable(capacity)).put("latency", latencyTable(latency));
    Files.writeString(Path.of(args[1]), result.encodePrettily());
    Files.writeString(Path.of(args[2]), svg(result));
    print(result);
  }

  private static JsonObject capacityTable(Map<String, Map<Integer, Double>> capacity) {
    JsonObject table = new JsonObject();
    capacity.forEach((contender, rounds) -> {
      List<Double> values = new ArrayList<>(rounds.values());
      JsonObject row = new JsonObject().put("rounds", new JsonArray(values)).put("median", median(values))
          .put("min", Collections.min(values)).put("max", Collections.max(values));
      for (String base : List.of("nginx", "direct")) {
        Map<Integer, Double> reference = capacity.get(base);
        if (reference != null) {
          List<Double> ratios = new ArrayList<>();
          rounds.forEach((round, rps) -> {
            if (reference.containsKey(round)) {
              ratios.add(rps / reference.get(round));
            }
          });
          row.put("ratioTo" + capitalise(base), ratios.isEmpty() ? null : round3(median(ratios)));
        }
      }
      table.put(contender, row);
    });
    return table;
  }

  private static JsonObject latencyTable(Map<String, Map<String, List<JsonObject>>> latency) {
    JsonObject table = new JsonObject();
    Map<String, List<JsonObject>> direct = latency.getOrDefault("direct", Map.of());
    latency.forEach((contender, byLoad) -> {
      JsonObject rows = new JsonObject();
      byLoad.forEach((load, runs) -> {
        JsonObject row = new JsonObject();
        for (String p : List.of("p50", "p90", "p99", "p999", "max")) {
          row.put(p, median(runs.stream().map(r -> r.getDouble(p)).toList()));
        }
        row.put("rate", runs.get(0).getDouble("rate"));
        row.put("errors", runs.stream().mapToLong(r -> r.getLong("errors")).sum());
        List<JsonObject> base = direct.get(load);
        if (base != null) {
          row.put("addedP50", round3(row.getDouble("p50") - median(base.stream().map(r -> r.getDouble("p50")).toList())));
          row.put("addedP99", round3(row.getDouble("p99") - median(base.stream().map(r -> r.getDouble("p99")).toList())));
        }
        rows.put(load, row);
      });
      table.put(contender, rows);
    });
    return table;
  }

  private static void print(JsonObject result) {
    System.out.println("capacity (closed loop, req/s): median [min–max]  ratio to nginx / to direct");
    result.getJsonObject("capacity").forEach(e -> {
      JsonObject r = (JsonObject) e.getValue();
      System.out.printf(Locale.ROOT, "  %-16s %9.0f [%.0f–%.0f]  %s / %s%n", e.getKey(), r.getDouble("median"),
          r.getDouble("min"), r.getDouble("max"), r.getValue("ratioToNginx"), r.getValue("ratioToDirect"));
    });
    System.out.println("latency (open loop at a share of nginx's capacity, ms): p50 p90 p99 p99.9 max  (+p50 +p99 vs"
        + " direct)  errors");
    result.getJsonObject("latency").forEach(e -> ((JsonObject) e.getValue()).forEach(l -> {
      JsonObject r = (JsonObject) l.getValue();
      System.out.printf(Locale.ROOT, "  %-16s %4s %6.0f/s  %7.3f %7.3f %7.3f %7.3f %8.3f  (%s %s)  %d%n", e.getKey(),
          l.getKey() + "%", r.getDouble("rate"), r.getDouble("p50"), r.getDouble("p90"), r.getDouble("p99"),
          r.getDouble("p999"), r.getDouble("max"), r.getValue("addedP50"), r.getValue("addedP99"),
          r.getLong("errors"));
    }));
  }

  /** Two panels: capacity ratio to nginx per contender, and p99 per contender at each load level. */
  static String svg(JsonObject result) {
    StringBuilder out = new StringBuilder("<svg xmlns='http://www.w3.org/2000/svg' width='760' height='420'"
        + " font-family='sans-serif' font-size='12'>\n<rect width='760' height='420' fill='white'/>\n");
    out.append("<text x='10' y='20' font-size='14'>Capacity, ratio to nginx (median of per-round ratios)</text>\n");
    JsonObject capacity = result.getJsonObject("capacity");
    int i = 0;
    for (String contender : capacity.fieldNames()) {
      Object ratio = capacity.getJsonObject(contender).getValue("ratioToNginx");
      double value = ratio instanceof Number n ? n.doubleValue() : 0;
      int y = 35 + i * 24;
      int width = (int) Math.round(Math.min(2.0, value) * 250);
      out.append(String.format(Locale.ROOT, "<text x='10' y='%d'>%s</text><rect x='130' y='%d' width='%d' height='16'"
          + " fill='#4a7ebb'/><text x='%d' y='%d'>%.2f</text>\n", y + 12, contender, y, width, 136 + width, y + 12,
          value));
      i++;
    }
    out.append("<line x1='380' y1='30' x2='380' y2='").append(35 + i * 24).append("' stroke='#999'"
        + " stroke-dasharray='4'/>\n");
    int top = 60 + i * 24;
    out.append("<text x='10' y='").append(top).append("' font-size='14'>p99 latency (ms) at 25 / 50 / 75 % of nginx's"
        + " capacity, open loop</text>\n");
    JsonObject latency = result.getJsonObject("latency");
    double maxP99 = 0.001;
    for (String contender : latency.fieldNames()) {
      for (Object row : latency.getJsonObject(contender)) {
        maxP99 = Math.max(maxP99, ((JsonObject) ((Map.Entry<?, ?>) row).getValue()).getDouble("p99"));
      }
    }
    int j = 0;
    String[] colours = {"#9ecae1", "#4292c6", "#08519c"};
    for (String contender : latency.fieldNames()) {
      int y = top + 15 + j * 30;
      out.append(String.format(Locale.ROOT, "<text x='10' y='%d'>%s</text>\n", y + 16, contender));
      int k = 0;
      for (Map.Entry<String, Object> row : latency.getJsonObject(contender)) {
        double p99 = ((JsonObject) row.getValue()).getDouble("p99");
        int width = (int) Math.round(p99 / maxP99 * 480);
        out.append(String.format(Locale.ROOT, "<rect x='130' y='%d' width='%d' height='8' fill='%s'/><text x='%d'"
            + " y='%d' font-size='9'>%s%%: %.2f</text>\n", y + k * 9, width, colours[k % 3], 134 + width, y + k * 9 + 8,
            row.getKey(), p99));
        k++;
      }
      j++;
    }
    return out.append("</svg>\n").toString();
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int n = sorted.size();
    return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static double round3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  private static String capitalise(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
