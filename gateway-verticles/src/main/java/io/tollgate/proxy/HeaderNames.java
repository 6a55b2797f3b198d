package io.tollgate.proxy;

import io.netty.util.AsciiString;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * An immutable, case-insensitive set of header names, looked up once per header on the request path: one
 * case-insensitive hash (Netty's, the one Vert.x header maps use) and usually one comparison, no allocation.
 * Built at config compile time.
 */
public final class HeaderNames {

  private final String[] table;
  private final int mask;
  private final Set<String> names;

  private HeaderNames(Set<String> names) {
    this.names = Set.copyOf(names);
    int size = Integer.highestOneBit(Math.max(4, names.size() * 4 - 1)) << 1; // load factor ≤ 1/4: short probes
    this.table = new String[size];
    this.mask = size - 1;
    for (String name : this.names) {
      int i = slot(name);
      while (table[i] != null) {
        i = (i + 1) & mask;
      }
      table[i] = name;
    }
  }

  /** The set of {@code names} (any case; stored lower-case). */
  public static HeaderNames of(Collection<String> names) {
    Set<String> lower = new LinkedHashSet<>();
    names.forEach(n -> lower.add(n.toLowerCase(Locale.ROOT)));
    return new HeaderNames(lower);
  }

  /** This set plus {@code more}. */
  public HeaderNames with(Collection<String> more) {
    Set<String> all = new LinkedHashSet<>(names);
    more.forEach(n -> all.add(n.toLowerCase(Locale.ROOT)));
    return new HeaderNames(all);
  }

  /** True when {@code name} is in the set, whatever its case. */
  public boolean contains(CharSequence name) {
    for (int i = slot(name); table[i] != null; i = (i + 1) & mask) {
      if (AsciiString.contentEqualsIgnoreCase(table[i], name)) {
        return true;
      }
    }
    return false;
  }

  /** The lower-case names. */
  public Set<String> names() {
    return names;
  }

  private int slot(CharSequence name) {
    int h = AsciiString.hashCode(name);
    return (h ^ (h >>> 16)) & mask;
  }

  @Override
  public String toString() {
    return names.toString();
  }
}
