package io.tollgate.routing;

import java.util.Map;

/**
 * An immutable open-addressing hash map from a literal segment to a child, looked up by an index range of the
 * request path, so matching never allocates a substring per segment. Hashes are {@link String#hashCode()}
 * compatible, so a key's own cached hash is reused when comparing.
 *
 * @param <V> value type
 */
final class SegmentMap<V> {

  private static final SegmentMap<?> EMPTY = new SegmentMap<>(Map.of());

  private final String[] keys;
  private final Object[] values;
  private final int mask;

  private SegmentMap(Map<String, V> entries) {
    int size = Integer.highestOneBit(Math.max(1, entries.size()) * 2 + 1) << 1;
    keys = new String[size];
    values = new Object[size];
    mask = size - 1;
    for (Map.Entry<String, V> e : entries.entrySet()) {
      int i = spread(e.getKey().hashCode()) & mask;
      while (keys[i] != null) {
        i = (i + 1) & mask;
      }
      keys[i] = e.getKey();
      values[i] = e.getValue();
    }
  }

  @SuppressWarnings("unchecked")
  static <V> SegmentMap<V> of(Map<String, V> entries) {
    return entries.isEmpty() ? (SegmentMap<V>) EMPTY : new SegmentMap<>(entries);
  }

  /** The value for the key equal to {@code path[start, end)}, or {@code null}. */
  @SuppressWarnings("unchecked")
  V get(String path, int start, int end) {
    if (this == EMPTY) {
      return null;
    }
    int len = end - start;
    int h = 0;
    for (int i = start; i < end; i++) {
      h = 31 * h + path.charAt(i);
    }
    int i = spread(h) & mask;
    String k;
    while ((k = keys[i]) != null) {
      if (k.length() == len && k.hashCode() == h && path.startsWith(k, start)) {
        return (V) values[i];
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }
}
