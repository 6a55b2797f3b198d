package io.tollgate.ownership;

import static io.tollgate.ownership.OwnershipEvents.TYPE;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.events.ownership.OwnershipAssigned;
import io.tollgate.ownership.OwnershipReplica.Entry;
import java.lang.ref.Reference;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retained heap of a million resources (issue 5: at most 150 MB): used heap after full collections, before and
 * after building the replica from a realistic population ({@link OwnershipEvents}). Events are generated one at
 * a time and dropped, so only what the replica keeps is measured. The figures are logged
 * (target/failsafe-reports/*OwnershipReplicaMemoryIT-output.txt) and go into docs/benchmarks.md; the assertion
 * is the issue's bound, far above what is measured. An IT so unit runs stay fast.
 */
class OwnershipReplicaMemoryIT {

  private static final Logger LOG = LoggerFactory.getLogger(OwnershipReplicaMemoryIT.class);
  private static final int RESOURCES = 1_000_000;
  private static final long BUDGET = 150L << 20;

  @Test
  void aMillionNumericIdsFitTheBudget() {
    assertThat(retainedByReplica("numeric ids", i -> Integer.toString(100_000 + i))).isLessThan(BUDGET);
  }

  @Test
  void aMillionUuidIdsFitTheBudget() {
    SplittableRandom ids = new SplittableRandom(7);
    assertThat(retainedByReplica("UUID ids", i -> OwnershipEvents.uuid(ids))).isLessThan(BUDGET);
  }

  @Test
  void aMillionTextIdsFitTheBudget() {
    assertThat(retainedByReplica("text ids", i -> "mon_" + (100_000 + i))).isLessThan(BUDGET);
  }

  /** For comparison only (not asserted): the obvious map from "type:id" strings to records. */
  @Test
  void logsWhatAConcurrentHashMapOfStringKeysWouldRetain() {
    retainedByMap("numeric ids", i -> Integer.toString(100_000 + i));
    SplittableRandom ids = new SplittableRandom(7);
    retainedByMap("UUID ids", i -> OwnershipEvents.uuid(ids));
  }

  private static void retainedByMap(String label, IntFunction<String> id) {
    SplittableRandom random = new SplittableRandom(1);
    long before = usedAfterGc();
    Map<String, Entry> map = new ConcurrentHashMap<>();
    Map<String, String> pool = new HashMap<>();
    for (int i = 0; i < RESOURCES; i++) {
      OwnershipAssigned event = OwnershipEvents.realistic(id.apply(i), random);
      String tenant = event.tenantId() == null ? null : pool.computeIfAbsent(event.tenantId(), t -> t);
      map.put(event.key(), new Entry(pool.computeIfAbsent(event.ownerId(), o -> o), tenant, event.version(), false));
    }
    long retained = usedAfterGc() - before;
    LOG.info("ConcurrentHashMap<String \"monitor:<id>\", Entry>, owners deduplicated, {}: {} MB for {} "
        + "resources ({} bytes each)", label, retained >> 20, map.size(), retained / RESOURCES);
    Reference.reachabilityFence(map);
  }

  private static long retainedByReplica(String label, IntFunction<String> id) {
    SplittableRandom random = new SplittableRandom(1);
    long before = usedAfterGc();
    OwnershipReplica replica = new OwnershipReplica();
    for (int i = 0; i < RESOURCES; i++) {
      replica.apply(OwnershipEvents.realistic(id.apply(i), random));
    }
    long retained = usedAfterGc() - before;
    assertThat(replica.size()).isEqualTo(RESOURCES);
    assertThat(replica.isOwner(TYPE, id.apply(-1), "user-1", null)).isFalse();
    LOG.info("OwnershipReplica, {}: {} MB for {} resources ({} bytes each)", label, retained >> 20,
        replica.size(), retained / RESOURCES);
    Reference.reachabilityFence(replica);
    return retained;
  }

  private static long usedAfterGc() {
    Runtime runtime = Runtime.getRuntime();
    long used = Long.MAX_VALUE;
    // Several collections: the first may leave garbage that a finaliser or a reference queue still holds.
    for (int i = 0; i < 5; i++) {
      System.gc();
      used = Math.min(used, runtime.totalMemory() - runtime.freeMemory());
    }
    return used;
  }
}
