package io.tollgate.testkit.net;

import java.time.Duration;

/**
 * What a {@link ToxicProxy} does to bytes right now. Immutable.
 *
 * @param kind the behaviour
 * @param latency the delay each chunk gets, in both directions; {@link Duration#ZERO} unless {@code kind} is
 *     {@link Kind#LATENCY}
 */
record Toxic(Kind kind, Duration latency) {

  enum Kind { PASS_THROUGH, LATENCY, RESET, BLACK_HOLE }

  static final Toxic PASS_THROUGH = new Toxic(Kind.PASS_THROUGH, Duration.ZERO);
  static final Toxic RESET = new Toxic(Kind.RESET, Duration.ZERO);
  static final Toxic BLACK_HOLE = new Toxic(Kind.BLACK_HOLE, Duration.ZERO);

  static Toxic latency(Duration perChunk) {
    if (perChunk.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative: " + perChunk);
    }
    return new Toxic(Kind.LATENCY, perChunk);
  }
}
