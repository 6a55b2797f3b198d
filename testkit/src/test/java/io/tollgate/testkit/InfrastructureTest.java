package io.tollgate.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class InfrastructureTest {

  @Test
  void formatsOneAlignedLinePerStart() {
    Infrastructure.Provision provision = new Infrastructure.Provision("postgres", "embedded", "shared",
        "PostgreSQL 14.22 on 127.0.0.1:5432", Duration.ofMillis(1830));

    assertThat(provision.line())
        .isEqualTo("postgres  embedded       shared     1830 ms  PostgreSQL 14.22 on 127.0.0.1:5432");
  }

  @Test
  void readsSettingsFromSystemPropertiesBeforeTheEnvironment() {
    System.setProperty("tollgate.test.example.setting", " from-property ");
    try {
      assertThat(Infrastructure.setting("TOLLGATE_TEST_EXAMPLE_SETTING")).contains("from-property");
    } finally {
      System.clearProperty("tollgate.test.example.setting");
    }
    assertThat(Infrastructure.setting("TOLLGATE_TEST_EXAMPLE_SETTING")).isEmpty();
  }
}
