package io.tollgate.observability;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A parsed Prometheus text exposition (format 0.0.4), as a scraper sees it: one {@link Sample} per series line.
 * Strict about the line syntax, so a malformed exposition fails the test that reads it.
 */
public final class PrometheusText {

  public record Sample(String name, Map<String, String> labels, double value) {
    public String label(String key) {
      return labels.get(key);
    }
  }

  private final List<Sample> samples;

  private PrometheusText(List<Sample> samples) {
    this.samples = samples;
  }

  public static PrometheusText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      samples.add(parseLine(line));
    }
    return new PrometheusText(samples);
  }

  private static Sample parseLine(String line) {
    int i = 0;
    while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
      i++;
    }
    String name = line.substring(0, i);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String key = line.substring(i, eq);
        if (line.charAt(eq + 1) != '"') {
          throw new IllegalArgumentException("unquoted label value: " + line);
        }
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        for (; line.charAt(j) != '"'; j++) {
          char c = line.charAt(j);
          if (c == '\\') {
            char next = line.charAt(++j);
            value.append(next == 'n' ? '\n' : next);
          } else {
            value.append(c);
          }
        }
        labels.put(key, value.toString());
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      i++;
    }
    String rest = line.substring(i).trim();
    String number = rest.split(" ")[0];
    double value = switch (number) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(number);
    };
    return new Sample(name, labels, value);
  }

  public List<Sample> samples() {
    return samples;
  }

  List<Sample> named(String name) {
    return samples.stream().filter(s -> s.name().equals(name)).toList();
  }

  /** The one sample of {@code name} with exactly these label values (others may be present); fails if none. */
  public double value(String name, String... labelPairs) {
    List<Sample> found = matching(name, labelPairs);
    if (found.size() != 1) {
      throw new AssertionError(found.size() + " samples of " + name + " " + List.of(labelPairs) + "; have "
          + named(name));
    }
    return found.get(0).value();
  }

  /** The value, or 0 when the series does not exist (a counter never incremented). */
  double valueOrZero(String name, String... labelPairs) {
    List<Sample> found = matching(name, labelPairs);
    return found.isEmpty() ? 0 : value(name, labelPairs);
  }

  List<Sample> matching(String name, String... labelPairs) {
    Predicate<Sample> match = s -> s.name().equals(name);
    for (int k = 0; k < labelPairs.length; k += 2) {
      String key = labelPairs[k];
      String expected = labelPairs[k + 1];
      match = match.and(s -> expected.equals(s.labels().get(key)));
    }
    return samples.stream().filter(match).toList();
  }
}
