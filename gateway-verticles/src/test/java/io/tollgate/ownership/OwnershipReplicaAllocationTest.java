package io.tollgate.ownership;

import static io.tollgate.ownership.OwnershipEvents.TYPE;
import static io.tollgate.ownership.OwnershipEvents.assigned;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lookup hot path allocates nothing: a route policy calls it for every request. */
class OwnershipReplicaAllocationTest {

  private static final int LOOKUPS = 200_000;

  @Test
  void isOwnerAllocatesNothing() {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    OwnershipReplica replica = new OwnershipReplica();
    List<String> ids = List.of("101", "-7", "123e4567-e89b-12d3-a456-426614174000", "mon_7", "1234567890123456789");
    for (String id : ids) {
      replica.apply(assigned(id, "user-7", "acme", 1));
    }
    String owner = new String("user-7");
    int owned = lookups(replica, ids, owner); // warm up, so the measured pass runs compiled code

    long before = threads.getCurrentThreadAllocatedBytes();
    owned += lookups(replica, ids, owner);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;

    assertThat(owned).isEqualTo(2 * LOOKUPS / ids.size() * ids.size());
    assertThat(allocated).as("bytes allocated by %d lookups", LOOKUPS).isLessThan(1_000);
  }

  private static int lookups(OwnershipReplica replica, List<String> ids, String owner) {
    int owned = 0;
    for (int i = 0; i < LOOKUPS; i++) {
      owned += replica.isOwner(TYPE, ids.get(i % ids.size()), owner, i % 2 == 0 ? null : "acme") ? 1 : 0;
    }
    return owned;
  }
}
