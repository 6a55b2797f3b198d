package io.tollgate.config;

import io.tollgate.config.YamlNode.Kind;
import io.tollgate.config.YamlNode.Mapping;
import io.tollgate.config.YamlNode.Scalar;
import io.tollgate.config.YamlNode.Sequence;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts the control plane's sections into a node's bootstrap tree. The bootstrap must not declare them itself
 * (two sources for one route would be ambiguous), and must declare {@code controlPlane:}.
 */
final class ManagedMerge {

  private ManagedMerge() {
  }

  static YamlNode merge(YamlNode bootstrap, JsonObject managed, Binding binding) {
    Map<String, YamlNode> root = bootstrap instanceof Mapping m ? m.entries() : Map.of();
    if (!root.containsKey("controlPlane")) {
      binding.error("controlPlane", "required: managed sections are only served by a node with a control plane");
    }
    checkBootstrap(bootstrap, binding);
    return deepMerge(new Mapping(root), toNode(managed));
  }

  /** A file with {@code controlPlane:} must not declare what the control plane manages. */
  static void checkBootstrap(YamlNode bootstrap, Binding binding) {
    if (!(bootstrap instanceof Mapping m) || !m.entries().containsKey("controlPlane")) {
      return;
    }
    for (String path : ControlPlaneBinder.MANAGED) {
      if (find(m.entries(), path) != null) {
        binding.error(path, "managed through the Admin API when controlPlane is configured; remove it from the file");
      }
    }
  }

  /** Whether the bootstrap declares a managed section such as {@code auth.apiKeys.keys}. */
  static YamlNode find(Map<String, YamlNode> root, String path) {
    YamlNode node = new Mapping(root);
    for (String key : path.split("\\.")) {
      if (!(node instanceof Mapping m) || !m.entries().containsKey(key)) {
        return null;
      }
      node = m.entries().get(key);
    }
    return node;
  }

  /** Mappings merge key by key; anything else from {@code top} replaces what {@code base} has. */
  private static YamlNode deepMerge(YamlNode base, YamlNode top) {
    if (!(base instanceof Mapping b) || !(top instanceof Mapping t)) {
      return top;
    }
    Map<String, YamlNode> merged = new LinkedHashMap<>(b.entries());
    t.entries().forEach((key, value) -> merged.merge(key, value, ManagedMerge::deepMerge));
    return new Mapping(merged);
  }

  /** JSON as the YAML parser would have produced it; strings stay strings even when they look like numbers. */
  static YamlNode toNode(Object json) {
    if (json instanceof JsonObject object) {
      Map<String, YamlNode> entries = new LinkedHashMap<>();
      object.forEach(e -> entries.put(e.getKey(), toNode(e.getValue())));
      return new Mapping(entries);
    }
    if (json instanceof JsonArray array) {
      List<YamlNode> items = new ArrayList<>();
      array.forEach(item -> items.add(toNode(item)));
      return new Sequence(items);
    }
    if (json == null) {
      return new Scalar("", Kind.NULL);
    }
    if (json instanceof Boolean bool) {
      return new Scalar(bool.toString(), Kind.BOOL);
    }
    if (json instanceof Integer || json instanceof Long || json instanceof java.math.BigInteger) {
      return new Scalar(json.toString(), Kind.INT);
    }
    if (json instanceof Number number) {
      return new Scalar(number.toString(), Kind.FLOAT);
    }
    return new Scalar(json.toString(), Kind.STRING);
  }
}
