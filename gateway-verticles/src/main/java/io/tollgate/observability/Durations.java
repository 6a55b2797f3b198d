package io.tollgate.observability;

/** Formatting of measured durations for headers and logs. */
public final class Durations {

  private Durations() {
  }

  /** Nanoseconds as milliseconds with three decimals ({@code 12.345}), without a formatter. Negative → 0. */
  public static String millis(long nanos) {
    long micros = Math.max(0, nanos / 1_000);
    long frac = micros % 1_000;
    return (micros / 1_000) + "." + (frac < 10 ? "00" : frac < 100 ? "0" : "") + frac;
  }
}
