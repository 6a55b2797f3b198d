package io.tollgate.config;

import io.tollgate.config.YamlNode.Kind;
import io.tollgate.config.YamlNode.Mapping;
import io.tollgate.config.YamlNode.Scalar;
import io.tollgate.config.YamlNode.Sequence;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Parses YAML text into {@link YamlNode}s. Uses SnakeYAML's composer only: no Java objects are constructed,
 * so no tag can instantiate anything. Anchors, aliases and {@code <<} merge keys work; duplicate keys,
 * non-scalar keys and non-standard tags are reported to the {@link Binding} with their paths.
 */
final class YamlTree {

  private final Binding binding;
  private final Set<Node> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());

  private YamlTree(Binding binding) {
    this.binding = binding;
  }

  /**
   * @return the document's root, or {@code null} for an empty document
   * @throws ConfigException with a single {@code <yaml>} error when the text is not (one document of) YAML
   */
  static YamlNode parse(String yaml, Binding binding) throws ConfigException {
    Node root;
    try {
      root = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
    } catch (MarkedYAMLException e) {
      throw syntaxError(describe(e) + hint(yaml, e.getProblemMark()));
    } catch (YAMLException e) {
      throw syntaxError(e.getMessage());
    }
    return root == null ? null : new YamlTree(binding).convert(root, "");
  }

  private static String describe(MarkedYAMLException e) {
    Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    String where = mark == null ? "" : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
    String problem = e.getProblem() != null ? e.getProblem() : e.getContext();
    String context = e.getContext() != null && e.getProblem() != null ? " (" + e.getContext() + ")" : "";
    return where + problem + context;
  }

  /** The classic trap: in flow style, an unquoted {@code ${VAR}} reads as the start of a mapping. */
  private static String hint(String yaml, Mark mark) {
    boolean atExpression = mark != null && mark.getIndex() > 0 && yaml.startsWith("${", mark.getIndex() - 1);
    return atExpression ? "; inside { } or [ ], quote values that start with ${" : "";
  }

  private static ConfigException syntaxError(String message) {
    return new ConfigException(List.of(new ConfigError("<yaml>", message)));
  }

  private YamlNode convert(Node node, String path) {
    if (!node.getTag().getValue().startsWith(Tag.PREFIX)) {
      binding.error(path, "unsupported YAML tag '" + node.getTag().getValue() + "'");
    }
    if (!inProgress.add(node)) {
      binding.error(path, "recursive alias");
      return new Scalar("", Kind.NULL);
    }
    try {
      if (node instanceof MappingNode mapping) {
        return mapping(mapping, path);
      } else if (node instanceof SequenceNode sequence) {
        List<YamlNode> items = new ArrayList<>();
        for (Node item : sequence.getValue()) {
          items.add(convert(item, Binding.index(path, items.size())));
        }
        return new Sequence(items);
      }
      return scalar((ScalarNode) node);
    } finally {
      inProgress.remove(node);
    }
  }

  private static Scalar scalar(ScalarNode node) {
    Tag tag = node.getTag();
    Kind kind = tag.equals(Tag.INT) ? Kind.INT
        : tag.equals(Tag.FLOAT) ? Kind.FLOAT
        : tag.equals(Tag.BOOL) ? Kind.BOOL
        : tag.equals(Tag.NULL) ? Kind.NULL
        : Kind.STRING; // str, and explicit standard tags such as !!timestamp: read as text
    return new Scalar(node.getValue(), kind);
  }

  private Mapping mapping(MappingNode node, String path) {
    Map<String, YamlNode> entries = new LinkedHashMap<>();
    List<Mapping> merged = new ArrayList<>();
    for (NodeTuple tuple : node.getValue()) {
      if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
        binding.error(path, "mapping keys must be plain strings");
      } else if (key.getTag().equals(Tag.MERGE)) {
        merged.addAll(mergeSources(tuple.getValueNode(), path));
      } else if (entries.containsKey(key.getValue())) {
        binding.error(Binding.child(path, key.getValue()), "duplicate key");
      } else {
        entries.put(key.getValue(), convert(tuple.getValueNode(), Binding.child(path, key.getValue())));
      }
    }
    // YAML merge keys: explicit keys win, then earlier merged mappings over later ones.
    for (Mapping source : merged) {
      source.entries().forEach(entries::putIfAbsent);
    }
    return new Mapping(entries);
  }

  private List<Mapping> mergeSources(Node value, String path) {
    List<Node> sources = value instanceof SequenceNode seq ? seq.getValue() : List.of(value);
    List<Mapping> mappings = new ArrayList<>();
    for (Node source : sources) {
      if (convert(source, path) instanceof Mapping mapping) {
        mappings.add(mapping);
      } else {
        binding.error(path, "'<<' needs a mapping or a list of mappings");
      }
    }
    return mappings;
  }
}
