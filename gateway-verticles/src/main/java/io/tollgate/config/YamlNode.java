package io.tollgate.config;

import java.util.List;
import java.util.Map;

/**
 * A YAML value as parsed, before binding. Scalars keep their source text, so {@code 1.10} stays {@code "1.10"}
 * and {@code no} stays {@code "no"} when a string is wanted; mappings keep their key order.
 */
sealed interface YamlNode {

  /** How the YAML resolver typed a scalar. Quoted scalars are always {@link #STRING}. */
  enum Kind { STRING, INT, FLOAT, BOOL, NULL }

  /** A scalar; {@code text} is the source text (never null, {@code ""} for an empty value). */
  record Scalar(String text, Kind kind) implements YamlNode {
  }

  /** A mapping with string keys, in document order. */
  record Mapping(Map<String, YamlNode> entries) implements YamlNode {
  }

  /** A sequence. */
  record Sequence(List<YamlNode> items) implements YamlNode {
  }
}
