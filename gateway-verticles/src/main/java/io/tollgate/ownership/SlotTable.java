package io.tollgate.ownership;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The slots of one resource type: an open-addressing table (linear probing, power-of-two capacity) with one
 * writer thread and any number of lock-free, allocation-free readers.
 *
 * <p>Publication: the writer stores a slot with release semantics and readers load it with acquire semantics;
 * slots are immutable, so a reader sees either the old or the new state of a resource, never a mix. A slot is
 * never removed, only replaced by one for the same id (a garbage-collected resource keeps a
 * {@link Slot#COLLECTED} slot), so a probe never skips past an id it should have found. When more than three
 * quarters of the slots are taken, the writer copies the live slots into a new array (at most half full) and
 * publishes it through a volatile field; a reader that still probes the old array sees the state as of the
 * copy, which is where its read began.
 */
final class SlotTable {

  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Slot[].class);
  private static final int MIN_CAPACITY = 16;
  private static final int MAX_CAPACITY = 1 << 30;

  private volatile Slot[] slots = new Slot[MIN_CAPACITY];
  /** Non-null slots of {@link #slots}, collected markers included. Writer only. */
  private int used;

  /** The live ({@link Slot#isLive()}) slot of {@code id}, or null. Any thread; allocation-free. */
  Slot get(String id) {
    long number = ResourceIds.number(id);
    if (number != ResourceIds.NOT_A_NUMBER) {
      return probe(Slot.NUMBER, number, 0, null);
    }
    if (ResourceIds.isUuid(id)) {
      return probe(Slot.UUID, ResourceIds.uuidHigh(id), ResourceIds.uuidLow(id), null);
    }
    return probe(Slot.TEXT, id.hashCode(), 0, id);
  }

  /** The live slot with the id of {@code like}, or null. Writer only. */
  Slot current(Slot like) {
    Slot[] table = slots;
    Slot slot = table[indexOf(table, like)];
    return slot != null && slot.isLive() ? slot : null;
  }

  /** Stores {@code slot} in place of the slot with its id, or as a new one. Writer only. */
  void put(Slot slot) {
    Slot[] table = slots;
    int index = indexOf(table, slot);
    boolean added = table[index] == null;
    SLOTS.setRelease(table, index, slot);
    if (added && ++used > table.length / 4 * 3) {
      rebuild(table);
    }
  }

  private Slot probe(byte kind, long key, long low, String text) {
    Slot[] table = slots;
    int mask = table.length - 1;
    for (int i = hash(kind, key, low) & mask; ; i = (i + 1) & mask) {
      Slot slot = (Slot) SLOTS.getAcquire(table, i);
      if (slot == null) {
        return null;
      }
      if (slot.key == key && slot.kind == kind && slot.sameRest(low, text)) {
        return slot.isLive() ? slot : null;
      }
    }
  }

  /** The index of the slot with the id of {@code like} in {@code table}, or of the free slot where it goes. */
  private static int indexOf(Slot[] table, Slot like) {
    int mask = table.length - 1;
    long low = like.low();
    String text = like.text();
    for (int i = hash(like.kind, like.key, low) & mask; ; i = (i + 1) & mask) {
      Slot slot = table[i];
      if (slot == null || (slot.key == like.key && slot.kind == like.kind && slot.sameRest(low, text))) {
        return i;
      }
    }
  }

  private void rebuild(Slot[] table) {
    int live = 0;
    for (Slot slot : table) {
      live += slot != null && slot.isLive() ? 1 : 0;
    }
    // The smallest power of two at least twice the live slots: the new table starts at most half full.
    long capacity = Math.max(MIN_CAPACITY, Long.highestOneBit(Math.max(1L, live * 2L - 1)) << 1);
    if (capacity > MAX_CAPACITY) {
      throw new IllegalStateException("more than " + MAX_CAPACITY / 2 + " resources of one type");
    }
    Slot[] fresh = new Slot[(int) capacity];
    for (Slot slot : table) {
      if (slot != null && slot.isLive()) {
        fresh[indexOf(fresh, slot)] = slot;
      }
    }
    used = live;
    slots = fresh; // volatile write: publishes the plain stores above
  }

  /** Murmur3's 64-bit finaliser over the packed id: spreads sequential numbers over the whole table. */
  private static int hash(byte kind, long key, long low) {
    long h = key ^ Long.rotateLeft(low, 32) ^ kind;
    h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
    h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return (int) (h ^ (h >>> 33));
  }
}
