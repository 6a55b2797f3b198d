package io.tollgate.ownership;

import io.tollgate.events.ownership.OwnershipAssigned;
import io.tollgate.events.ownership.OwnershipEvent;
import io.tollgate.events.ownership.OwnershipRevoked;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/** Interim replica (ConcurrentHashMap); replaced by the compact single-writer table. */
public final class OwnershipReplica {

  public enum Applied { APPLIED, STALE, COLLECTED, IGNORED }

  public record Entry(String ownerId, String tenantId, long version, boolean revoked) {}

  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  public Applied apply(OwnershipEvent event) {
    String key = event.resourceType() + ':' + event.resourceId();
    Entry held = entries.get(key);
    if (held != null && held.version() >= event.version()) {
      return Applied.STALE;
    }
    Entry next = event instanceof OwnershipAssigned a ? new Entry(a.ownerId(), a.tenantId(), a.version(), false)
        : new Entry(((OwnershipRevoked) event).ownerId(), null, event.version(), true);
    entries.put(key, next);
    return Applied.APPLIED;
  }

  public Applied tombstone(String resourceType, String resourceId) {
    String key = resourceType + ':' + resourceId;
    Entry held = entries.get(key);
    if (held != null && held.revoked()) {
      entries.remove(key);
      return Applied.COLLECTED;
    }
    return Applied.IGNORED;
  }

  public boolean isOwner(String resourceType, String resourceId, String ownerId, String tenantId) {
    Entry e = entries.get(resourceType + ':' + resourceId);
    return e != null && !e.revoked() && e.ownerId().equals(ownerId)
        && (tenantId == null || Objects.equals(tenantId, e.tenantId()));
  }

  public Entry lookup(String resourceType, String resourceId) {
    return entries.get(resourceType + ':' + resourceId);
  }

  public long size() {
    return entries.size();
  }
}
