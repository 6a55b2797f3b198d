package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.DnsDiscoveryConfig;
import io.tollgate.config.TargetConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A and AAAA answers → the target set: one per distinct address, in address order. */
class DnsAnswersTest {

  private static final DnsDiscoveryConfig DNS = new DnsDiscoveryConfig("orders.internal", 8080, false, "/api",
      Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(2), List.of());

  @Test
  void everyAddressBecomesATargetSortedAndDeduplicated() {
    List<TargetConfig> targets = DnsAnswers.targets(DNS, List.of("10.0.0.2", "10.0.0.1", "10.0.0.2",
        "fd00:0:0:0:0:0:0:1", "fd00::1"));
    assertThat(targets).extracting(TargetConfig::address)
        .containsExactly("10.0.0.1:8080", "10.0.0.2:8080", "[fd00:0:0:0:0:0:0:1]:8080");
    assertThat(targets.get(0)).isEqualTo(
        new TargetConfig("http://10.0.0.1:8080/api", false, "10.0.0.1", 8080, "/api"));
  }

  @Test
  void theOrderOfRecordsIsNoChange() {
    assertThat(DnsAnswers.targets(DNS, List.of("10.0.0.1", "10.0.0.2")))
        .isEqualTo(DnsAnswers.targets(DNS, List.of("10.0.0.2", "10.0.0.1")));
  }

  @Test
  void whatIsNoAddressIsSkippedAndNeverLookedUp() {
    assertThat(DnsAnswers.targets(DNS, List.of("not-an-ip.example", "", "999.1.1.1"))).isEmpty();
  }
}
