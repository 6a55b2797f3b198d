package io.tollgate.ownership;

/**
 * One resource's state in a {@link SlotTable}: its id (packed as {@link ResourceIds} describes) and its latest
 * ownership. Immutable, with final fields only, so a reader that sees a slot sees all of it: never the owner of
 * one version with the tenant of another. The writer replaces a slot, it never changes one.
 *
 * <p>A number id costs 40 bytes (compressed oops), a UUID 48, a text id 48 plus its string; owner and tenant
 * strings are shared with every other slot of the same owner ({@link StringPool}).
 */
abstract sealed class Slot permits Slot.NumberSlot, Slot.UuidSlot, Slot.TextSlot {

  /** Kinds of id. */
  static final byte NUMBER = 0;
  static final byte UUID = 1;
  static final byte TEXT = 2;

  /** States: someone owns the resource; nobody does (a versioned marker); the marker was garbage-collected. */
  static final byte ASSIGNED = 0;
  static final byte REVOKED = 1;
  static final byte COLLECTED = 2;

  /** The number, a UUID's high 64 bits, or a text id's {@link String#hashCode()}. */
  final long key;
  final long version;
  final String ownerId;
  final String tenantId;
  final byte kind;
  final byte state;

  private Slot(byte kind, long key, String ownerId, String tenantId, long version, byte state) {
    this.kind = kind;
    this.key = key;
    this.ownerId = ownerId;
    this.tenantId = tenantId;
    this.version = version;
    this.state = state;
  }

  /** A slot for {@code id} in the most compact form its spelling allows. */
  static Slot of(String id, String ownerId, String tenantId, long version, byte state) {
    long number = ResourceIds.number(id);
    if (number != ResourceIds.NOT_A_NUMBER) {
      return new NumberSlot(number, ownerId, tenantId, version, state);
    }
    if (ResourceIds.isUuid(id)) {
      return new UuidSlot(ResourceIds.uuidHigh(id), ResourceIds.uuidLow(id), ownerId, tenantId, version, state);
    }
    return new TextSlot(id, ownerId, tenantId, version, state);
  }

  /** The same resource in another state. */
  abstract Slot with(String ownerId, String tenantId, long version, byte state);

  /** A UUID's low 64 bits; 0 for other kinds. */
  long low() {
    return 0;
  }

  /** A text id; null for other kinds. */
  String text() {
    return null;
  }

  /** Whether this slot holds the id whose {@link #kind} and {@link #key} already matched. */
  abstract boolean sameRest(long low, String text);

  boolean isLive() {
    return state != COLLECTED;
  }

  static final class NumberSlot extends Slot {
    NumberSlot(long number, String ownerId, String tenantId, long version, byte state) {
      super(NUMBER, number, ownerId, tenantId, version, state);
    }

    @Override
    Slot with(String ownerId, String tenantId, long version, byte state) {
      return new NumberSlot(key, ownerId, tenantId, version, state);
    }

    @Override
    boolean sameRest(long low, String text) {
      return true;
    }
  }

  static final class UuidSlot extends Slot {
    private final long low;

    UuidSlot(long high, long low, String ownerId, String tenantId, long version, byte state) {
      super(UUID, high, ownerId, tenantId, version, state);
      this.low = low;
    }

    @Override
    Slot with(String ownerId, String tenantId, long version, byte state) {
      return new UuidSlot(key, low, ownerId, tenantId, version, state);
    }

    @Override
    long low() {
      return low;
    }

    @Override
    boolean sameRest(long low, String text) {
      return this.low == low;
    }
  }

  static final class TextSlot extends Slot {
    private final String id;

    TextSlot(String id, String ownerId, String tenantId, long version, byte state) {
      super(TEXT, id.hashCode(), ownerId, tenantId, version, state);
      this.id = id;
    }

    @Override
    Slot with(String ownerId, String tenantId, long version, byte state) {
      return new TextSlot(id, ownerId, tenantId, version, state);
    }

    @Override
    String text() {
      return id;
    }

    @Override
    boolean sameRest(long low, String text) {
      return id.equals(text);
    }
  }
}
