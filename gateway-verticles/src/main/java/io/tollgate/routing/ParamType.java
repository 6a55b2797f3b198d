package io.tollgate.routing;

/**
 * The type of a path parameter and the test a path segment must pass to bind to it. Tests are run over index
 * ranges of the normalized path, without allocating. Declaration order is match precedence among parameters at
 * the same depth: typed parameters are tried before the untyped one.
 */
enum ParamType {
  /** {@code {name:int}}: one or more ASCII digits whose value fits in a signed {@code long}. */
  INT("int") {
    @Override
    boolean accepts(String path, int start, int end) {
      if (start == end) {
        return false;
      }
      long value = 0;
      for (int i = start; i < end; i++) {
        int d = path.charAt(i) - '0';
        if (d < 0 || d > 9 || value > (Long.MAX_VALUE - d) / 10) {
          return false;
        }
        value = value * 10 + d;
      }
      return true;
    }
  },
  /** {@code {name:uuid}}: 8-4-4-4-12 hex digits of either case (any version). */
  UUID("uuid") {
    @Override
    boolean accepts(String path, int start, int end) {
      if (end - start != 36) {
        return false;
      }
      for (int i = 0; i < 36; i++) {
        char c = path.charAt(start + i);
        boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-' : PercentCodec.hex(c) < 0) {
          return false;
        }
      }
      return true;
    }
  },
  /** {@code {name}}: any non-empty segment. */
  ANY("") {
    @Override
    boolean accepts(String path, int start, int end) {
      return end > start;
    }
  };

  private final String suffix;

  ParamType(String suffix) {
    this.suffix = suffix;
  }

  /** Whether {@code path[start, end)} (one segment, no {@code /}) may bind to a parameter of this type. */
  abstract boolean accepts(String path, int start, int end);

  /** The type named after the colon in {@code {name:type}}, {@code ""} for none. */
  static ParamType named(String typeName) {
    for (ParamType t : values()) {
      if (t.suffix.equals(typeName)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown parameter type '" + typeName + "' (use int or uuid)");
  }
}
