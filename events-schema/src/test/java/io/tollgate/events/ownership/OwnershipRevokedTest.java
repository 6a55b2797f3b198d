package io.tollgate.events.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class OwnershipRevokedTest {

  private static final Instant AT = Instant.parse("2026-11-23T10:16:40Z");

  @Test
  void keyIsTheSameAsTheAssignmentItRevokes() {
    OwnershipRevoked revoked = new OwnershipRevoked("monitor", "101", "user-7", 2, AT, "svc");

    assertThat(revoked.key()).isEqualTo(new OwnershipAssigned("monitor", "101", "u", null, 1, AT, "p").key());
    assertThat(revoked.type()).isEqualTo("OwnershipRevoked.v1");
  }

  @Test
  void jsonCarriesTheRevokedOwnerOnlyWhenKnown() {
    assertThat(new OwnershipRevoked("monitor", "101", "user-7", 2, AT, "svc").toJson()).isEqualTo(
        "{\"type\":\"OwnershipRevoked.v1\",\"resourceType\":\"monitor\",\"resourceId\":\"101\",\"ownerId\":\"user-7\","
            + "\"version\":2,\"occurredAt\":\"2026-11-23T10:16:40Z\",\"producer\":\"svc\"}");
    assertThat(new OwnershipRevoked("monitor", "101", null, 2, AT, "svc").toJson()).doesNotContain("ownerId");
  }

  @Test
  void refusesMembersTheSchemaForbidsNamingTheMember() {
    assertThatThrownBy(() -> new OwnershipRevoked("monitor", "1:2", null, 2, AT, "svc"))
        .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("resourceId"));
    assertThatThrownBy(() -> new OwnershipRevoked("monitor", "1", "", 2, AT, "svc"))
        .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("ownerId"));
    assertThatThrownBy(() -> new OwnershipRevoked("monitor", "1", null, 0, AT, "svc"))
        .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("version"));
    assertThatThrownBy(() -> new OwnershipRevoked("monitor", "1", null, 2, Instant.parse("+10000-01-01T00:00:00Z"),
        "svc"))
        .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("occurredAt"));
    assertThatThrownBy(() -> new OwnershipRevoked("monitor", "1", null, 2, AT, null))
        .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("producer"));
  }
}
