package io.tollgate.ownership;

import static io.tollgate.ownership.OwnershipEvents.TYPE;
import static io.tollgate.ownership.OwnershipEvents.assigned;
import static io.tollgate.ownership.OwnershipEvents.revoked;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.ownership.OwnershipReplica.Applied;
import io.tollgate.ownership.OwnershipReplica.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One writer applies a million events while reader threads check what they see. Owners and tenants come in
 * pairs ({@code user-A} with {@code tenant-A}, {@code user-B} with {@code tenant-B}), so a torn read (the owner
 * of one event with the tenant of another) is visible as a mismatched pair.
 */
class OwnershipReplicaConcurrencyTest {

  private static final int READERS = 2;
  private static final int EVENTS = 1_000_000;

  private final OwnershipReplica replica = new OwnershipReplica();
  private final AtomicBoolean writing = new AtomicBoolean(true);
  private final ExecutorService readers = Executors.newFixedThreadPool(READERS);

  @AfterEach
  void stopReaders() throws InterruptedException {
    writing.set(false);
    readers.shutdownNow();
    assertThat(readers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void readersNeverSeeATornEntryOrAVersionGoingBack() throws Exception {
    int resources = 2_000;
    IntFunction<String> id = r -> r % 3 == 0 ? "res-" + r : r % 3 == 1 ? Integer.toString(r)
        : new UUID(r, r).toString();
    List<Future<Long>> checks = startReaders(resources, (random, seen) -> {
      int r = random.nextInt(resources);
      return checkConsistent(id.apply(r), r, seen);
    });

    SplittableRandom random = new SplittableRandom(1);
    for (int version = 1; version <= EVENTS; version++) {
      int r = random.nextInt(resources);
      String owner = random.nextBoolean() ? "A" : "B";
      if (version % 7 == 0) {
        replica.apply(revoked(id.apply(r), version));
      } else {
        replica.apply(assigned(id.apply(r), "user-" + owner, "tenant-" + owner, version));
      }
      if (version % 5 == 0) { // a late event with a mismatched pair: stale, so it must never show
        assertThat(replica.apply(assigned(id.apply(r), "user-A", "tenant-B", version - 3)))
            .isEqualTo(Applied.STALE);
      }
    }

    assertThat(totalChecks(checks)).isPositive();
    assertThat(replica.size()).isEqualTo(resources);
  }

  @Test
  void keysStayVisibleWhileTheTableGrows() throws Exception {
    AtomicInteger inserted = new AtomicInteger();
    IntFunction<String> id = i -> i % 2 == 0 ? Integer.toString(i) : "key-" + i;
    List<Future<Long>> checks = startReaders(0, (random, unused) -> {
      int known = inserted.get();
      if (known == 0) {
        return true;
      }
      int i = random.nextInt(known);
      return replica.isOwner(TYPE, id.apply(i), "user-" + (i % 97), null);
    });

    for (int i = 0; i < EVENTS; i++) {
      replica.apply(assigned(id.apply(i), "user-" + (i % 97), null, 1));
      inserted.set(i + 1);
    }

    assertThat(totalChecks(checks)).isPositive();
    assertThat(replica.size()).isEqualTo(EVENTS);
  }

  /** One reader's check of one resource: true if what it saw is consistent. */
  private interface Check {
    boolean holds(SplittableRandom random, long[] seen);
  }

  /** Owner and tenant of one event; revocations on multiples of 7; a reader never sees a version go back. */
  private boolean checkConsistent(String id, int r, long[] seen) {
    if (replica.isOwner(TYPE, id, "user-A", "tenant-B") || replica.isOwner(TYPE, id, "user-B", "tenant-A")) {
      return false;
    }
    Entry entry = replica.lookup(TYPE, id);
    if (entry == null) {
      return seen[r] == 0;
    }
    if (entry.version() < seen[r]) {
      return false;
    }
    seen[r] = entry.version();
    if (entry.revoked()) {
      return entry.ownerId() == null && entry.tenantId() == null && entry.version() % 7 == 0;
    }
    return entry.tenantId().equals("tenant-" + entry.ownerId().substring("user-".length()))
        && entry.version() % 7 != 0;
  }

  private List<Future<Long>> startReaders(int resources, Check check) {
    List<Future<Long>> checks = new ArrayList<>();
    for (int reader = 0; reader < READERS; reader++) {
      SplittableRandom random = new SplittableRandom(100 + reader);
      long[] seen = new long[resources];
      checks.add(readers.submit(() -> {
        long count = 0;
        while (writing.get()) {
          if (!check.holds(random, seen)) {
            throw new AssertionError("inconsistent read after " + count + " checks");
          }
          count++;
        }
        return count;
      }));
    }
    return checks;
  }

  private long totalChecks(List<Future<Long>> checks) throws Exception {
    writing.set(false);
    long total = 0;
    for (Future<Long> future : checks) {
      total += future.get(30, TimeUnit.SECONDS); // rethrows a reader's AssertionError or exception
    }
    return total;
  }
}
