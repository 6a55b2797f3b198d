package io.tollgate.ownership;

import java.util.HashMap;
import java.util.Map;

/**
 * Writer-side deduplication of the strings many slots share (resource types, owners, tenants): a million
 * resources of a hundred thousand owners hold a hundred thousand owner strings, not a million. Writer thread
 * only (a plain {@link HashMap}); readers only ever see the strings it returns, through slots.
 *
 * <p>It keeps every distinct string it has seen, also after the last slot using it is gone: bounded by the
 * number of distinct owners and tenants, which is far below the number of resources. {@link String#intern()}
 * is not used: its table is JVM-wide and slower to grow.
 */
final class StringPool {

  private final Map<String, String> strings = new HashMap<>();

  /** The pooled string equal to {@code value} (pooling {@code value} if it is new); null for null. */
  String dedup(String value) {
    if (value == null) {
      return null;
    }
    String pooled = strings.putIfAbsent(value, value);
    return pooled == null ? value : pooled;
  }

  /** Distinct strings held. */
  int size() {
    return strings.size();
  }
}
