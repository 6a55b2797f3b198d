package io.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AdminApiTest {

  @Test
  void ifMatchTakesTheETagOfARead() {
    assertThat(AdminApi.ifMatch(null)).isNull();
    assertThat(AdminApi.ifMatch("*")).isNull();
    assertThat(AdminApi.ifMatch("\"42\"")).isEqualTo(42L);
    assertThat(AdminApi.ifMatch("W/\"7\"")).isEqualTo(7L);
    assertThat(AdminApi.etag(42)).isEqualTo("\"42\"");
    assertThatThrownBy(() -> AdminApi.ifMatch("\"latest\"")).isInstanceOf(IllegalArgumentException.class);
  }
}
