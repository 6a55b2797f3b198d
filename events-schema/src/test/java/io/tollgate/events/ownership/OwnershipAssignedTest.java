package io.tollgate.events.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class OwnershipAssignedTest {

  private static final Instant AT = Instant.parse("2026-11-23T10:15:30Z");

  @Test
  void keyIsTypeColonId() {
    assertThat(new OwnershipAssigned("monitor", "101", "user-7", null, 1, AT, "monitor-service").key())
        .isEqualTo("monitor:101");
  }

  @Test
  void jsonCarriesEveryMemberWithEscaping() {
    String json = new OwnershipAssigned("monitor", "101", "us\"er", "acme", 3, AT, "svc").toJson();
    assertThat(json).isEqualTo("{\"type\":\"OwnershipAssigned.v1\",\"resourceType\":\"monitor\","
        + "\"resourceId\":\"101\",\"ownerId\":\"us\\\"er\",\"tenantId\":\"acme\",\"version\":3,"
        + "\"occurredAt\":\"2026-11-23T10:15:30Z\",\"producer\":\"svc\"}");
  }

  @Test
  void refusesKeysThatWouldBeAmbiguousAndNonPositiveVersions() {
    assertThatThrownBy(() -> new OwnershipAssigned("mon:itor", "1", "u", null, 1, AT, "p"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new OwnershipAssigned("monitor", "1", "u", null, 0, AT, "p"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jsonLeavesOutAnAbsentTenant() {
    assertThat(new OwnershipAssigned("monitor", "101", "u", null, 1, AT, "svc").toJson())
        .isEqualTo("{\"type\":\"OwnershipAssigned.v1\",\"resourceType\":\"monitor\",\"resourceId\":\"101\","
            + "\"ownerId\":\"u\",\"version\":1,\"occurredAt\":\"2026-11-23T10:15:30Z\",\"producer\":\"svc\"}");
  }
}
