package io.tollgate.ownership;

import static io.tollgate.ownership.OwnershipEvents.TYPE;
import static io.tollgate.ownership.OwnershipEvents.assigned;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ResourceIdsTest {

  private static final String UUID_TEXT = "123e4567-e89b-12d3-a456-426614174000";

  @Test
  void canonicalDecimalNumbersOfUpTo18DigitsAreNumbers() {
    assertThat(ResourceIds.number("0")).isZero();
    assertThat(ResourceIds.number("7")).isEqualTo(7);
    assertThat(ResourceIds.number("-7")).isEqualTo(-7);
    assertThat(ResourceIds.number("999999999999999999")).isEqualTo(999_999_999_999_999_999L);
    assertThat(ResourceIds.number("-999999999999999999")).isEqualTo(-999_999_999_999_999_999L);
  }

  @Test
  void otherSpellingsAreNotNumbers() {
    for (String id : List.of("007", "00", "-0", "+7", "-", "", " 7", "7 ", "1e3", "7a", "1000000000000000000",
        "9223372036854775807", "-9223372036854775808", "١٢", "--7")) {
      assertThat(ResourceIds.number(id)).as(id).isEqualTo(ResourceIds.NOT_A_NUMBER);
    }
  }

  @Test
  void lowerCaseUuidsArePackedIntoTwoLongs() {
    UUID uuid = UUID.fromString(UUID_TEXT);

    assertThat(ResourceIds.isUuid(UUID_TEXT)).isTrue();
    assertThat(ResourceIds.uuidHigh(UUID_TEXT)).isEqualTo(uuid.getMostSignificantBits());
    assertThat(ResourceIds.uuidLow(UUID_TEXT)).isEqualTo(uuid.getLeastSignificantBits());
    UUID extreme = new UUID(-1, Long.MIN_VALUE);
    assertThat(ResourceIds.uuidHigh(extreme.toString())).isEqualTo(-1);
    assertThat(ResourceIds.uuidLow(extreme.toString())).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void otherUuidSpellingsStayText() {
    for (String id : List.of(UUID_TEXT.toUpperCase(), "{" + UUID_TEXT + "}", UUID_TEXT.replace("-", ""),
        UUID_TEXT.substring(1) + "0g", "123e4567-e89b-12d3-a456_426614174000", UUID_TEXT + "0")) {
      assertThat(ResourceIds.isUuid(id)).as(id).isFalse();
    }
  }

  @Test
  void idsThatDifferAsStringsAreDifferentResources() {
    OwnershipReplica replica = new OwnershipReplica();
    List<String> ids = List.of("7", "007", "-7", "+7", "0", "-0", "00", "1234567890123456789",
        "12345678901234567890", "999999999999999999", UUID_TEXT, UUID_TEXT.toUpperCase(), "monitor-7");
    for (int i = 0; i < ids.size(); i++) {
      replica.apply(assigned(ids.get(i), "user-" + i, null, 1));
    }

    assertThat(replica.size()).isEqualTo(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      for (int j = 0; j < ids.size(); j++) {
        assertThat(replica.isOwner(TYPE, ids.get(i), "user-" + j, null)).as(ids.get(i) + " by user-" + j)
            .isEqualTo(i == j);
      }
    }
  }
}
