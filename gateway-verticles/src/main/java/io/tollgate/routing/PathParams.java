package io.tollgate.routing;

import java.util.Arrays;

/**
 * The path parameters and remainder bound by a match. Immutable and tiny: two parallel arrays (names shared with
 * the compiled route, values from this request), looked up by a linear scan since routes have only a few
 * parameters.
 *
 * Safe to share between threads.
 *
 * <p>Values are the raw segments of the normalized path, so they are still percent-encoded (never containing a
 * raw {@code /}); {@link #decoded} gives the UTF-8 decoding.
 */
public final class PathParams {

  /** No parameters and an empty remainder. */
  public static final PathParams EMPTY = new PathParams(new String[0], new String[0], "");

  private final String[] names;
  private final String[] values;
  private final String remainder;

  /** Arrays are taken without copying: callers hand over ownership. */
  PathParams(String[] names, String[] values, String remainder) {
    if (names.length != values.length) {
      throw new IllegalArgumentException("names and values differ in length");
    }
    this.names = names;
    this.values = values;
    this.remainder = remainder;
  }

  /** The raw (percent-encoded) value of parameter {@code name}, or {@code null} when the route has none. */
  public String get(String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return values[i];
      }
    }
    return null;
  }

  /** The percent-decoded (UTF-8) value of parameter {@code name}, or {@code null} when the route has none. */
  public String decoded(String name) {
    String raw = get(name);
    return raw == null ? null : PercentCodec.decodePath(raw);
  }

  /**
   * The value of an {@code {name:int}} parameter.
   *
   * @throws IllegalArgumentException when the route has no such parameter, or it is not an {@code int} parameter
   *                                  and its value is not a decimal {@code long}
   */
  public long getLong(String name) {
    String raw = get(name);
    if (raw == null) {
      throw new IllegalArgumentException("no path parameter '" + name + "'");
    }
    return Long.parseLong(raw);
  }

  /**
   * The part matched by a trailing {@code /**}: {@code ""} when the path ended there, otherwise starting with
   * {@code /} (so {@code "/"} for a trailing slash). Always {@code ""} for routes without {@code /**}.
   */
  public String remainder() {
    return remainder;
  }

  /** Number of named parameters. */
  public int size() {
    return names.length;
  }

  /** Name of the {@code i}-th parameter, in pattern order. */
  public String name(int i) {
    return names[i];
  }

  /** Raw value of the {@code i}-th parameter, in pattern order. */
  public String value(int i) {
    return values[i];
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("PathParams{");
    for (int i = 0; i < names.length; i++) {
      sb.append(names[i]).append('=').append(values[i]).append(", ");
    }
    return sb.append("remainder=").append(remainder).append('}').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PathParams other
        && Arrays.equals(names, other.names)
        && Arrays.equals(values, other.values)
        && remainder.equals(other.remainder);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * Arrays.hashCode(names) + Arrays.hashCode(values)) + remainder.hashCode();
  }
}
