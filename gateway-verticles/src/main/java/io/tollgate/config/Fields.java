package io.tollgate.config;

import io.tollgate.config.YamlNode.Mapping;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A YAML mapping with a fixed set of field names, such as {@code listener:} or one route. Unknown keys are
 * reported when it is created; a key whose value is YAML {@code null} counts as absent. Each typed getter
 * returns the default when the field is absent or invalid (the error is already reported).
 */
final class Fields {

  private final String path;
  private final Binding binding;
  private final Map<String, ConfigNode> entries;
  private final List<String> names;
  private final boolean valid;

  Fields(String path, Binding binding, Map<String, ConfigNode> entries, String... names) {
    this(path, binding, entries, List.of(names), true);
    entries.forEach((key, node) -> {
      if (!this.names.contains(key)) {
        node.error("unknown field (expected one of: " + String.join(", ", names) + ")");
      }
    });
  }

  private Fields(String path, Binding binding, Map<String, ConfigNode> entries, List<String> names, boolean valid) {
    this.path = path;
    this.binding = binding;
    this.entries = entries;
    this.names = names;
    this.valid = valid;
  }

  /** For a section that is not a mapping (already reported): all fields absent, none reported as missing. */
  static Fields invalid(String path, Binding binding, String... names) {
    return new Fields(path, binding, Map.of(), List.of(names), false);
  }

  /** The fields of the document root; an empty document has none. */
  static Fields root(YamlNode root, Binding binding, String... names) {
    return new ConfigNode(root == null ? new Mapping(Map.of()) : root, "", binding).fields(names);
  }

  /** The variables of {@code ${VAR}} substitution (also the defaults some fields take from the environment). */
  Map<String, String> env() {
    return binding.env();
  }

  String path(String name) {
    return Binding.child(path, name);
  }

  void error(String name, String message) {
    binding.error(path(name), message);
  }

  /** The field's node, or {@code null} when absent or YAML {@code null}. */
  ConfigNode get(String name) {
    if (!names.contains(name)) {
      throw new IllegalArgumentException("undeclared field " + name); // a bug in a binder, not in the config
    }
    ConfigNode node = entries.get(name);
    return node == null || node.isNull() ? null : node;
  }

  /** Like {@link #get}, but reports an absent field (unless this mapping itself was invalid). */
  ConfigNode required(String name) {
    ConfigNode node = get(name);
    if (node == null && valid) {
      error(name, "is required");
    }
    return node;
  }

  /** A nested mapping; absent means all its fields are absent. */
  Fields section(String name, String... fieldNames) {
    ConfigNode node = get(name);
    return node == null ? new Fields(path(name), binding, Map.of(), fieldNames) : node.fields(fieldNames);
  }

  String string(String name, String fallback) {
    return read(name, fallback, ConfigNode::string);
  }

  int integer(String name, int fallback, int min, int max) {
    return read(name, fallback, node -> node.integer(min, max));
  }

  boolean bool(String name, boolean fallback) {
    return read(name, fallback, ConfigNode::bool);
  }

  <E extends Enum<E>> E enumValue(String name, Class<E> type, E fallback) {
    return read(name, fallback, node -> node.enumValue(type));
  }

  /** A non-negative duration. */
  Duration duration(String name, Duration fallback) {
    return read(name, fallback, ConfigNode::duration);
  }

  /** A duration greater than zero (timeouts: zero would be read as "none" by some clients, "at once" by others). */
  Duration positiveDuration(String name, Duration fallback) {
    Duration value = duration(name, null);
    if (value != null && value.isZero()) {
      error(name, "must be greater than 0");
      return fallback;
    }
    return value == null ? fallback : value;
  }

  /** A number from 0 to 1 inclusive. */
  double fraction(String name, double fallback) {
    return read(name, fallback, ConfigNode::fraction);
  }

  Long size(String name, Long fallback, long min, long max) {
    return read(name, fallback, node -> node.size(min, max));
  }

  private <T> T read(String name, T fallback, Function<ConfigNode, T> reader) {
    ConfigNode node = get(name);
    T value = node == null ? null : reader.apply(node);
    return value == null ? fallback : value;
  }
}
