package io.tollgate.ownership;

import io.tollgate.events.ownership.OwnershipAssigned;
import io.tollgate.events.ownership.OwnershipEvent;
import io.tollgate.events.ownership.OwnershipRevoked;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's local replica of who owns which resource, built from the events on
 * {@link io.tollgate.events.Topics#OWNERSHIP} (docs/events.md, issue 5), so that authorization is a memory lookup.
 *
 * <p><b>Threads.</b> One writer thread calls {@link #apply} and {@link #tombstone}, in offset order per partition
 * (a key's events are all in one partition). Any thread may call {@link #isOwner}, {@link #lookup} and
 * {@link #size} at any time: they take no lock and never block the writer; {@link #isOwner} allocates nothing.
 * A reader sees each resource either before or after an event, never a mix of two events (owner of one, tenant
 * of another): every state is an immutable {@link Slot} published with release/acquire semantics
 * ({@link SlotTable}).
 *
 * <p><b>Versions.</b> Per resource, the event with the highest {@code version} wins. An event whose version is
 * not higher than the one held is {@link Applied#STALE} and changes nothing (an equal version is a duplicate), so
 * replays, duplicates and reordering are harmless. {@link OwnershipRevoked} is kept as a versioned marker: a late
 * {@link OwnershipAssigned} with an older version is stale and cannot restore access; a newer one does.
 *
 * <p><b>Tombstones</b> only garbage-collect: a tombstone for a revoked resource forgets it
 * ({@link Applied#COLLECTED}); for an assigned or unknown resource it is {@link Applied#IGNORED} (a tombstone is
 * never how ownership ends). After collection the resource is <em>unknown</em>, its version forgotten too: any
 * later event for it applies, even an older assignment. That is what a gateway replaying the compacted topic
 * from scratch would hold, and producers send tombstones only long after the revocation, when no older event
 * of the key can still be in flight (docs/events.md).
 *
 * <p><b>Memory.</b> Resource types, owners and tenants are deduplicated ({@link StringPool}); ids that are
 * canonical numbers or lower-case UUIDs are stored as {@code long}s ({@link ResourceIds}). About 60 bytes per
 * resource with numeric ids (docs/benchmarks.md). No event or JSON object is retained.
 */
public final class OwnershipReplica {

  /** What {@link #apply} or {@link #tombstone} did. */
  public enum Applied {
    /** The event is now the resource's state. */
    APPLIED,
    /** The event's version is not newer than the one held: nothing changed. */
    STALE,
    /** The tombstone forgot a revoked resource. */
    COLLECTED,
    /** The tombstone was for an assigned or unknown resource: nothing changed. */
    IGNORED
  }

  /**
   * A resource's state, for diagnostics and tests.
   *
   * @param ownerId  the owner; for a revoked resource the owner whose ownership ended, or null
   * @param tenantId the owner's tenant, or null (always null when revoked)
   * @param version  the version of the event that set this state
   * @param revoked  whether nobody owns the resource (a revocation marker)
   */
  public record Entry(String ownerId, String tenantId, long version, boolean revoked) {
  }

  private final Map<String, SlotTable> types = new ConcurrentHashMap<>();
  private final StringPool strings = new StringPool();
  /** Live resources (assigned or revoked). Written by the writer only, read by any thread. */
  private volatile long size;

  /** An empty replica. */
  public OwnershipReplica() {
  }

  /**
   * Applies one decoded event if its version is newer than the resource's. Writer thread only.
   *
   * @return {@link Applied#APPLIED} or {@link Applied#STALE}
   */
  public Applied apply(OwnershipEvent event) {
    Slot next;
    if (event instanceof OwnershipAssigned assigned) {
      next = Slot.of(assigned.resourceId(), strings.dedup(assigned.ownerId()), strings.dedup(assigned.tenantId()),
          assigned.version(), Slot.ASSIGNED);
    } else {
      OwnershipRevoked revoked = (OwnershipRevoked) Objects.requireNonNull(event, "event");
      next = Slot.of(revoked.resourceId(), strings.dedup(revoked.ownerId()), null, revoked.version(),
          Slot.REVOKED);
    }
    SlotTable table = tableFor(event.resourceType());
    Slot current = table.current(next);
    if (current != null && next.version <= current.version) {
      return Applied.STALE;
    }
    table.put(next);
    if (current == null) {
      size = size + 1; // single writer: no lost update
    }
    return Applied.APPLIED;
  }

  /**
   * A tombstone (null record value) for the key {@code <resourceType>:<resourceId>}: forgets the resource if it
   * is revoked, else changes nothing. After {@link Applied#COLLECTED} the resource is unknown, and any later
   * event for it applies (see the class comment). Writer thread only.
   *
   * @return {@link Applied#COLLECTED} or {@link Applied#IGNORED}
   */
  public Applied tombstone(String resourceType, String resourceId) {
    SlotTable table = types.get(resourceType);
    Slot current = table == null ? null : table.get(resourceId);
    if (current == null || current.state != Slot.REVOKED) {
      return Applied.IGNORED;
    }
    table.put(current.with(null, null, current.version, Slot.COLLECTED));
    size = size - 1;
    return Applied.COLLECTED;
  }

  /**
   * Whether {@code ownerId} owns {@code resourceType:resourceId} and, when {@code tenantId} is not null, the
   * recorded tenant equals it. Strings are compared exactly (case-sensitive). False for an unknown or revoked
   * resource, another owner, another or no recorded tenant, and any null argument other than
   * {@code tenantId}. Any thread; lock-free and allocation-free.
   */
  public boolean isOwner(String resourceType, String resourceId, String ownerId, String tenantId) {
    if (resourceType == null || resourceId == null || ownerId == null) {
      return false;
    }
    SlotTable table = types.get(resourceType);
    Slot slot = table == null ? null : table.get(resourceId);
    return slot != null && slot.state == Slot.ASSIGNED && ownerId.equals(slot.ownerId)
        && (tenantId == null || tenantId.equals(slot.tenantId));
  }

  /**
   * The resource's current state (assigned or revoked), or null if unknown. Any thread.
   *
   * @throws NullPointerException if an argument is null
   */
  public Entry lookup(String resourceType, String resourceId) {
    SlotTable table = types.get(Objects.requireNonNull(resourceType, "resourceType"));
    Slot slot = table == null ? null : table.get(Objects.requireNonNull(resourceId, "resourceId"));
    return slot == null ? null : new Entry(slot.ownerId, slot.tenantId, slot.version, slot.state == Slot.REVOKED);
  }

  /** Resources held: assigned ones and revocation markers, not collected ones. Any thread. */
  public long size() {
    return size;
  }

  private SlotTable tableFor(String resourceType) {
    SlotTable table = types.get(resourceType);
    if (table == null) {
      table = new SlotTable();
      types.put(strings.dedup(resourceType), table);
    }
    return table;
  }
}
