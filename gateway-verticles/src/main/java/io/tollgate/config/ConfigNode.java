package io.tollgate.config;

import io.tollgate.config.YamlNode.Kind;
import io.tollgate.config.YamlNode.Mapping;
import io.tollgate.config.YamlNode.Scalar;
import io.tollgate.config.YamlNode.Sequence;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A YAML value at a known path, with typed reads. A read that fails reports an error at this path and returns
 * {@code null} (or an empty collection), so that binders carry on and report everything.
 *
 * <p>Typing is strict: an integer field accepts {@code 8080} but not {@code "8080"}. The exception is a string
 * that is entirely one {@code ${VAR}} expression: its value is coerced to what the field needs. String fields
 * accept any scalar as written ({@code 1.10} stays {@code "1.10"}).
 */
final class ConfigNode {

  private final YamlNode value;
  private final String path;
  private final Binding binding;

  ConfigNode(YamlNode value, String path, Binding binding) {
    this.value = value;
    this.path = path;
    this.binding = binding;
  }

  String path() {
    return path;
  }

  void error(String message) {
    binding.error(path, message);
  }

  boolean isNull() {
    return value instanceof Scalar s && s.kind() == Kind.NULL;
  }

  boolean isMapping() {
    return value instanceof Mapping;
  }

  boolean isSequence() {
    return value instanceof Sequence;
  }

  /** The text of a scalar after substitution. */
  String string() {
    return text("a string");
  }

  Integer integer(int min, int max) {
    String text = coercible(Kind.INT, "an integer");
    if (text == null) {
      return null;
    }
    if (!text.matches("[-+]?[0-9]+")) {
      error("expected an integer, got '" + text + "'");
      return null;
    }
    BigInteger n = new BigInteger(text);
    if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
      error(outOfRange(n.compareTo(BigInteger.valueOf(min)) < 0, min, max, ""));
      return null;
    }
    return n.intValue();
  }

  Boolean bool() {
    String text = coercible(Kind.BOOL, "true or false");
    if (text == null) {
      return null;
    }
    if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
      error("expected true or false, got '" + text + "'");
      return null;
    }
    return Boolean.parseBoolean(text);
  }

  /** One of an enum's constants, by name, case-insensitively; {@code read-only} names {@code READ_ONLY}. */
  <E extends Enum<E>> E enumValue(Class<E> type) {
    String text = string();
    if (text == null) {
      return null;
    }
    E[] constants = type.getEnumConstants();
    for (E constant : constants) {
      if (constant.name().equalsIgnoreCase(text) || constant.name().replace('_', '-').equalsIgnoreCase(text)) {
        return constant;
      }
    }
    List<String> names = new ArrayList<>();
    for (E constant : constants) {
      names.add("'" + constant.name().toLowerCase(Locale.ROOT).replace('_', '-') + "'");
    }
    error("expected " + String.join(" or ", names) + ", got '" + text + "'");
    return null;
  }

  /** A number from 0 to 1 inclusive, written as an integer or a decimal (e.g. {@code 0.01}). */
  Double fraction() {
    String text = value instanceof Scalar s && s.kind() == Kind.INT ? s.text() : coercible(Kind.FLOAT, "a number");
    if (text == null) {
      return null;
    }
    if (!text.matches("[+]?[0-9]*\\.?[0-9]+([eE][-+]?[0-9]+)?")) {
      error("expected a number from 0 to 1, got '" + text + "'");
      return null;
    }
    double d = Double.parseDouble(text);
    if (d < 0 || d > 1) {
      error("must be from 0 to 1, got " + text);
      return null;
    }
    return d;
  }

  /** A non-negative duration; see {@link Units#parseDuration}. */
  Duration duration() {
    String text = text("a duration");
    return text == null ? null : parse(() -> Units.parseDuration(text));
  }

  /** A size in bytes within {@code [min, max]}; see {@link Units#parseSize}. */
  Long size(long min, long max) {
    String text = text("a size");
    Long size = text == null ? null : parse(() -> Units.parseSize(text));
    if (size != null && (size < min || size > max)) {
      error(outOfRange(size < min, min, max, " bytes"));
      return null;
    }
    return size;
  }

  /** The items of a sequence; empty (and reported) for anything else. */
  List<ConfigNode> list() {
    List<ConfigNode> items = new ArrayList<>();
    if (value instanceof Sequence sequence) {
      for (YamlNode item : sequence.items()) {
        items.add(new ConfigNode(item, Binding.index(path, items.size()), binding));
      }
    } else {
      mismatch("a list");
    }
    return items;
  }

  /** The entries of a mapping with free-form keys (service names, header names); empty (and reported) otherwise. */
  Map<String, ConfigNode> entries() {
    Map<String, ConfigNode> entries = new LinkedHashMap<>();
    if (value instanceof Mapping mapping) {
      mapping.entries().forEach((k, v) -> entries.put(k, new ConfigNode(v, Binding.child(path, k), binding)));
    } else if (!isNull()) {
      mismatch("a mapping");
    }
    return entries;
  }

  /** A mapping with a fixed set of field names; others are reported as unknown. */
  Fields fields(String... names) {
    if (value instanceof Mapping || isNull()) {
      return new Fields(path, binding, entries(), names);
    }
    mismatch("a mapping");
    return Fields.invalid(path, binding, names);
  }

  /** For a field that is not a string: the scalar text of the wanted kind, or of a whole substitution. */
  private String coercible(Kind kind, String expected) {
    if (value instanceof Scalar s) {
      if (s.kind() == kind) {
        return s.text();
      }
      if (s.kind() == Kind.STRING && EnvSubstitution.isExpression(s.text())) {
        return substitute(s.text());
      }
    }
    return mismatch(expected);
  }

  private String text(String expected) {
    if (value instanceof Scalar s && s.kind() != Kind.NULL) {
      return s.kind() == Kind.STRING ? substitute(s.text()) : s.text();
    }
    return mismatch(expected);
  }

  private String substitute(String text) {
    EnvSubstitution.Result result = EnvSubstitution.apply(text, binding.env());
    result.errors().forEach(this::error);
    return result.errors().isEmpty() ? result.value() : null;
  }

  private <T> T parse(Supplier<T> parser) {
    try {
      return parser.get();
    } catch (IllegalArgumentException e) {
      error(e.getMessage());
      return null;
    }
  }

  private <T> T mismatch(String expected) {
    String actual;
    if (value instanceof Mapping) {
      actual = "a mapping";
    } else if (value instanceof Sequence) {
      actual = "a list";
    } else {
      Scalar s = (Scalar) value;
      actual = s.kind() == Kind.NULL ? "nothing" : s.kind() == Kind.STRING ? "'" + s.text() + "'" : s.text();
    }
    error("expected " + expected + ", got " + actual);
    return null;
  }

  private static String outOfRange(boolean tooSmall, long min, long max, String unit) {
    if (max < Integer.MAX_VALUE) {
      return "must be between " + min + " and " + max + unit;
    }
    if (tooSmall) {
      return min == 0 ? "must not be negative" : "must be at least " + min;
    }
    return "must be at most " + max + unit;
  }
}
