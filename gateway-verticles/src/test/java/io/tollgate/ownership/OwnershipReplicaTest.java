package io.tollgate.ownership;

import static io.tollgate.ownership.OwnershipEvents.TYPE;
import static io.tollgate.ownership.OwnershipEvents.assigned;
import static io.tollgate.ownership.OwnershipEvents.revoked;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.events.ownership.OwnershipAssigned;
import io.tollgate.events.ownership.OwnershipRevoked;
import io.tollgate.ownership.OwnershipReplica.Applied;
import io.tollgate.ownership.OwnershipReplica.Entry;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OwnershipReplicaTest {

  private final OwnershipReplica replica = new OwnershipReplica();

  @Test
  void anAssignedOwnerOwnsTheResourceAndNobodyElseDoes() {
    assertThat(replica.apply(assigned("101", "user-7", null, 1))).isEqualTo(Applied.APPLIED);

    assertThat(replica.isOwner(TYPE, "101", "user-7", null)).isTrue();
    assertThat(replica.isOwner(TYPE, "101", "user-8", null)).isFalse();
    assertThat(replica.isOwner(TYPE, "101", "USER-7", null)).as("owners compare case-sensitively").isFalse();
    assertThat(replica.isOwner(TYPE, "102", "user-7", null)).as("unknown id").isFalse();
    assertThat(replica.isOwner("snapshot", "101", "user-7", null)).as("unknown type").isFalse();
    assertThat(replica.lookup(TYPE, "101")).isEqualTo(new Entry("user-7", null, 1, false));
    assertThat(replica.lookup(TYPE, "102")).isNull();
    assertThat(replica.size()).isEqualTo(1);
  }

  @Test
  void nullArgumentsOwnNothing() {
    replica.apply(assigned("101", "user-7", null, 1));

    assertThat(replica.isOwner(TYPE, "101", null, null)).isFalse();
    assertThat(replica.isOwner(TYPE, null, "user-7", null)).isFalse();
    assertThat(replica.isOwner(null, "101", "user-7", null)).isFalse();
  }

  @Test
  void aTenantMustMatchWhenTheCallerNamesOne() {
    replica.apply(assigned("101", "user-7", "acme", 1));
    replica.apply(assigned("102", "user-7", null, 1));

    assertThat(replica.isOwner(TYPE, "101", "user-7", "acme")).isTrue();
    assertThat(replica.isOwner(TYPE, "101", "user-7", null)).as("no tenant asked for").isTrue();
    assertThat(replica.isOwner(TYPE, "101", "user-7", "globex")).isFalse();
    assertThat(replica.isOwner(TYPE, "101", "user-7", "ACME")).isFalse();
    assertThat(replica.isOwner(TYPE, "102", "user-7", "acme")).as("no tenant recorded").isFalse();
  }

  @Test
  void aNewerVersionWinsAndAnOlderOrEqualOneIsStale() {
    replica.apply(assigned("101", "user-7", "acme", 5));

    assertThat(replica.apply(assigned("101", "user-8", null, 4))).isEqualTo(Applied.STALE);
    assertThat(replica.apply(assigned("101", "user-8", null, 5))).as("a duplicate").isEqualTo(Applied.STALE);
    assertThat(replica.lookup(TYPE, "101")).isEqualTo(new Entry("user-7", "acme", 5, false));

    assertThat(replica.apply(assigned("101", "user-8", null, 6))).isEqualTo(Applied.APPLIED);
    assertThat(replica.isOwner(TYPE, "101", "user-7", null)).isFalse();
    assertThat(replica.isOwner(TYPE, "101", "user-8", null)).isTrue();
    assertThat(replica.lookup(TYPE, "101")).isEqualTo(new Entry("user-8", null, 6, false));
    assertThat(replica.size()).isEqualTo(1);
  }

  @Test
  void aRevocationIsAMarkerThatOlderAssignmentsCannotUndo() {
    replica.apply(assigned("101", "user-7", null, 5));
    assertThat(replica.apply(revoked("101", 6))).isEqualTo(Applied.APPLIED);

    assertThat(replica.isOwner(TYPE, "101", "user-7", null)).isFalse();
    assertThat(replica.lookup(TYPE, "101")).isEqualTo(new Entry(null, null, 6, true));
    assertThat(replica.apply(assigned("101", "user-7", null, 5))).as("late replay").isEqualTo(Applied.STALE);
    assertThat(replica.apply(assigned("101", "user-7", null, 6))).isEqualTo(Applied.STALE);
    assertThat(replica.isOwner(TYPE, "101", "user-7", null)).isFalse();
    assertThat(replica.size()).as("the marker is held").isEqualTo(1);

    assertThat(replica.apply(assigned("101", "user-9", null, 7))).isEqualTo(Applied.APPLIED);
    assertThat(replica.isOwner(TYPE, "101", "user-9", null)).isTrue();
  }

  @Test
  void aRevocationWithoutAPriorAssignmentStillBlocksOlderOnes() {
    assertThat(replica.apply(revoked("101", 6))).isEqualTo(Applied.APPLIED);
    assertThat(replica.apply(assigned("101", "user-7", null, 5))).isEqualTo(Applied.STALE);
    assertThat(replica.isOwner(TYPE, "101", "user-7", null)).isFalse();
  }

  @Test
  void aRevocationKeepsTheOwnerItNamesForDiagnostics() {
    replica.apply(new OwnershipRevoked(TYPE, "101", "user-7", 2, Instant.EPOCH, "t"));

    assertThat(replica.lookup(TYPE, "101")).isEqualTo(new Entry("user-7", null, 2, true));
    assertThat(replica.isOwner(TYPE, "101", "user-7", null)).isFalse();
  }

  @Test
  void aTombstoneIgnoresAssignedAndUnknownResources() {
    replica.apply(assigned("101", "user-7", null, 5));

    assertThat(replica.tombstone(TYPE, "101")).isEqualTo(Applied.IGNORED);
    assertThat(replica.tombstone(TYPE, "102")).isEqualTo(Applied.IGNORED);
    assertThat(replica.tombstone("snapshot", "101")).isEqualTo(Applied.IGNORED);
    assertThat(replica.isOwner(TYPE, "101", "user-7", null)).isTrue();
    assertThat(replica.size()).isEqualTo(1);
  }

  @Test
  void aTombstoneCollectsARevokedResourceWhichIsThenUnknown() {
    replica.apply(assigned("101", "user-7", null, 5));
    replica.apply(revoked("101", 6));

    assertThat(replica.tombstone(TYPE, "101")).isEqualTo(Applied.COLLECTED);
    assertThat(replica.lookup(TYPE, "101")).isNull();
    assertThat(replica.size()).isZero();
    assertThat(replica.tombstone(TYPE, "101")).as("already collected").isEqualTo(Applied.IGNORED);
  }

  @Test
  void afterCollectionAnyEventAppliesAsInAFreshReplay() {
    // Documented choice: a collected key is forgotten with its version, exactly as a gateway replaying the
    // compacted topic after delete.retention.ms would hold it. Producers tombstone only when no older event
    // of the key can still be in flight, so this late, older assignment should not happen in practice.
    replica.apply(assigned("101", "user-7", null, 5));
    replica.apply(revoked("101", 6));
    replica.tombstone(TYPE, "101");

    assertThat(replica.apply(assigned("101", "user-7", null, 5))).isEqualTo(Applied.APPLIED);
    assertThat(replica.isOwner(TYPE, "101", "user-7", null)).isTrue();
    assertThat(replica.size()).isEqualTo(1);
  }

  @Test
  void collectedKeysDoNotFillTheTableForever() {
    for (int round = 0; round < 20; round++) {
      for (int i = 0; i < 1_000; i++) {
        String id = "r" + round + "-" + i;
        replica.apply(assigned(id, "user-1", null, 1));
        replica.apply(revoked(id, 2));
        assertThat(replica.tombstone(TYPE, id)).isEqualTo(Applied.COLLECTED);
      }
    }
    replica.apply(assigned("kept", "user-1", null, 1));

    assertThat(replica.size()).isEqualTo(1);
    assertThat(replica.isOwner(TYPE, "kept", "user-1", null)).isTrue();
    assertThat(replica.lookup(TYPE, "r0-0")).isNull();
  }

  @Test
  void resourceTypesAreSeparateNamespaces() {
    replica.apply(assigned("101", "user-7", null, 1));
    OwnershipAssigned snapshot = new OwnershipAssigned("snapshot", "101", "user-8", null, 1, Instant.EPOCH, "t");
    replica.apply(snapshot);

    assertThat(replica.isOwner(TYPE, "101", "user-7", null)).isTrue();
    assertThat(replica.isOwner("snapshot", "101", "user-8", null)).isTrue();
    assertThat(replica.isOwner("snapshot", "101", "user-7", null)).isFalse();
    assertThat(replica.size()).isEqualTo(2);
  }
}
