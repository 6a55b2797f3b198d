package io.tollgate.ownership;

import io.tollgate.events.ownership.OwnershipAssigned;
import io.tollgate.events.ownership.OwnershipRevoked;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Events for the replica's tests and measurements. The population mirrors the benchmark: resource type
 * {@code monitor}, owners from 100,000 users, 20 % of resources with a tenant from 1,000 tenants. Owner and tenant
 * strings are built afresh for every event, as a decoder would, so deduplication is really exercised.
 */
final class OwnershipEvents {

  static final String TYPE = "monitor";
  static final int USERS = 100_000;
  static final int TENANTS = 1_000;
  private static final Instant AT = Instant.parse("2026-11-23T10:15:30Z");

  private OwnershipEvents() {
  }

  static OwnershipAssigned assigned(String id, String owner, String tenant, long version) {
    return new OwnershipAssigned(TYPE, id, owner, tenant, version, AT, "test");
  }

  static OwnershipRevoked revoked(String id, long version) {
    return new OwnershipRevoked(TYPE, id, null, version, AT, "test");
  }

  /** The {@code i}th resource of a realistic population, with version 1. */
  static OwnershipAssigned realistic(String id, SplittableRandom random) {
    String owner = "user-" + random.nextInt(USERS);
    String tenant = random.nextInt(5) == 0 ? "tenant-" + random.nextInt(TENANTS) : null;
    return assigned(id, owner, tenant, 1);
  }

  /** A random UUID id in {@link UUID#toString()} form, drawn from {@code random} (reproducible). */
  static String uuid(SplittableRandom random) {
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }
}
