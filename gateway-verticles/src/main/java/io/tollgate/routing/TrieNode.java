package io.tollgate.routing;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A node of the {@link RouteTable} segment trie: one path depth. Children are literal segments (hash lookup by
 * index range), then at most one child per {@link ParamType}; routes end here exactly ({@link #exact}) or with a
 * {@code /**} remainder starting here ({@link #catchAll}), each in declaration order. Immutable once built.
 */
final class TrieNode {

  private static final RouteEntry[] NO_ROUTES = new RouteEntry[0];

  /** Type of the parameter edge leading here; {@code null} for the root and literal children. */
  private final ParamType type;
  final SegmentMap<TrieNode> literals;
  final TrieNode intChild;
  final TrieNode uuidChild;
  final TrieNode anyChild;
  final RouteEntry[] exact;
  final RouteEntry[] catchAll;

  private TrieNode(Builder b) {
    this.type = b.type;
    Map<String, TrieNode> lits = new LinkedHashMap<>();
    b.literals.forEach((k, v) -> lits.put(k, v.build()));
    this.literals = SegmentMap.of(lits);
    this.intChild = build(b.params.get(ParamType.INT));
    this.uuidChild = build(b.params.get(ParamType.UUID));
    this.anyChild = build(b.params.get(ParamType.ANY));
    this.exact = b.exact.isEmpty() ? NO_ROUTES : b.exact.toArray(NO_ROUTES);
    this.catchAll = b.catchAll.isEmpty() ? NO_ROUTES : b.catchAll.toArray(NO_ROUTES);
  }

  ParamType type() {
    return type;
  }

  private static TrieNode build(Builder b) {
    return b == null ? null : b.build();
  }

  /** Mutable, single-threaded builder used only while compiling a table. */
  static final class Builder {
    private final ParamType type;
    private final Map<String, Builder> literals = new LinkedHashMap<>();
    private final Map<ParamType, Builder> params = new EnumMap<>(ParamType.class);
    private final List<RouteEntry> exact = new ArrayList<>();
    private final List<RouteEntry> catchAll = new ArrayList<>();

    Builder() {
      this(null);
    }

    private Builder(ParamType type) {
      this.type = type;
    }

    void add(PathPattern pattern, RouteEntry entry) {
      Builder node = this;
      for (PathPattern.Segment seg : pattern.segments()) {
        node = seg.isLiteral()
            ? node.literals.computeIfAbsent(seg.text(), k -> new Builder())
            : node.params.computeIfAbsent(seg.type(), Builder::new);
      }
      (pattern.hasRemainder() ? node.catchAll : node.exact).add(entry);
    }

    TrieNode build() {
      return new TrieNode(this);
    }
  }
}
