package io.tollgate.upstream;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/**
 * A few counters over a sliding window of whole seconds, shared by every event loop and lock-free: one slot per
 * second, each recycled by the first writer of a new second (a compare-and-set on its epoch, then its counters are
 * zeroed). Increments racing a slot's recycling may be lost, and a reader may see a slot half-zeroed: the sums are
 * approximate by a few events at second boundaries, which is all a budget or a breaker needs.
 */
final class SecondSlots {

  private static final long SECOND = 1_000_000_000L;

  private final int seconds;
  private final int counters;
  private final LongSupplier nanoClock;
  private final AtomicLongArray epochs;
  private final AtomicLongArray values;

  /** @param nanoClock a {@link System#nanoTime()}-like clock */
  SecondSlots(int seconds, int counters, LongSupplier nanoClock) {
    this.seconds = seconds;
    this.counters = counters;
    this.nanoClock = nanoClock;
    this.epochs = new AtomicLongArray(seconds);
    this.values = new AtomicLongArray(seconds * counters);
    for (int i = 0; i < seconds; i++) {
      epochs.set(i, Long.MIN_VALUE);
    }
  }

  /** Adds 1 to {@code counter} in the current second. */
  void increment(int counter) {
    values.incrementAndGet(slot(epoch()) * counters + counter);
  }

  /** {@code counter} summed over the window (the current second and the {@code seconds - 1} before it). */
  long sum(int counter) {
    long epoch = epoch();
    long sum = 0;
    for (int i = 0; i < seconds; i++) {
      long e = epochs.get(i);
      if (e > epoch - seconds && e <= epoch) {
        sum += values.get(i * counters + counter);
      }
    }
    return sum;
  }

  /** Forgets everything (the next writer of each slot starts it afresh). */
  void clear() {
    for (int i = 0; i < seconds; i++) {
      epochs.set(i, Long.MIN_VALUE);
    }
  }

  private long epoch() {
    return Math.floorDiv(nanoClock.getAsLong(), SECOND);
  }

  /** The slot of {@code epoch}, emptied first if it still holds an older second. */
  private int slot(long epoch) {
    int i = (int) Math.floorMod(epoch, (long) seconds);
    long seen = epochs.get(i);
    if (seen != epoch && epochs.compareAndSet(i, seen, epoch)) {
      for (int c = 0; c < counters; c++) {
        values.set(i * counters + c, 0);
      }
    }
    return i;
  }
}
