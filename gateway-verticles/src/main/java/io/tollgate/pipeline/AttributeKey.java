package io.tollgate.pipeline;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A typed key for per-request attributes in {@link RequestContext}: no string keys, no casts at call sites.
 * Declare keys as {@code static final} constants next to the policy that writes them.
 *
 * @param <T> the attribute's type
 */
public final class AttributeKey<T> {

  private static final AtomicInteger NEXT_INDEX = new AtomicInteger();

  private final String name;
  private final int index;

  private AttributeKey(String name) {
    this.name = name;
    this.index = NEXT_INDEX.getAndIncrement();
  }

  public static <T> AttributeKey<T> named(String name) {
    return new AttributeKey<>(name);
  }

  public String name() {
    return name;
  }

  int index() {
    return index;
  }

  @Override
  public String toString() {
    return "AttributeKey[" + name + "]";
  }
}
