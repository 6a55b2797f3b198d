package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.DnsDiscoveryConfig;
import io.tollgate.config.LoadBalancer;
import io.tollgate.config.OutlierDetectionConfig;
import io.tollgate.config.RetryConfig;
import io.tollgate.config.ServiceConfig;
import io.tollgate.config.TargetConfig;
import io.tollgate.config.TimeoutsConfig;
import io.tollgate.observability.Counters;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The published target set of a DNS-discovered service and how the data plane follows it: a changed answer replaces
 * the targets of snapshots already compiled, unchanged addresses keep their state, a failed or empty lookup keeps the
 * last good set, and a reload with the same discovery config keeps it too.
 */
class DiscoveredTargetsTest {

  private static final DnsDiscoveryConfig DNS = new DnsDiscoveryConfig("orders.internal", 8080, false, "",
      Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(2), List.of());
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private final UpstreamHealth node = new UpstreamHealth(new Counters());

  @Test
  void aServiceHasNoTargetUntilItsFirstGoodAnswer() {
    ServiceTargets targets = ServiceTargets.compile(service(DNS), node);
    assertThat(targets.hasTargets()).isFalse();
    assertThat(targets.pick()).isNull();
    assertThat(targets.acquire(0)).isNull();

    DiscoveredTargets set = node.findDiscovered("orders");
    assertThat(set.answered(answer("10.0.0.1"), NOW)).isEqualTo(DiscoveredTargets.Outcome.CHANGED);
    assertThat(targets.pick().address()).isEqualTo("10.0.0.1:8080");
  }

  @Test
  void aChangedAnswerReplacesTheTargetsAndKeepsTheStateOfAddressesThatStayed() {
    ServiceTargets targets = ServiceTargets.compile(service(DNS), node);
    DiscoveredTargets set = node.findDiscovered("orders");
    set.answered(answer("10.0.0.1", "10.0.0.2"), NOW);
    Target stays = targets.targets().get(1);
    Target leaves = targets.targets().get(0);
    stays.health().acquire(); // a request in flight on the address that stays

    assertThat(set.answered(answer("10.0.0.2", "10.0.0.3"), NOW)).isEqualTo(DiscoveredTargets.Outcome.CHANGED);
    node.prune();
    assertThat(targets.targets()).extracting(Target::address).containsExactly("10.0.0.2:8080", "10.0.0.3:8080");
    assertThat(targets.targets().get(0).health()).isSameAs(stays.health());
    assertThat(targets.targets().get(0).health().inFlight()).isEqualTo(1);
    assertThat(node.find(leaves.address())).as("state of the address that left is forgotten").isNull();
    assertThat(set.answered(answer("10.0.0.3", "10.0.0.2"), NOW)).isEqualTo(DiscoveredTargets.Outcome.UNCHANGED);
  }

  @Test
  void failedAndEmptyLookupsKeepTheLastGoodSet() {
    ServiceTargets targets = ServiceTargets.compile(service(DNS), node);
    DiscoveredTargets set = node.findDiscovered("orders");
    set.answered(answer("10.0.0.1"), NOW);
    assertThat(set.answered(List.of(), NOW)).isEqualTo(DiscoveredTargets.Outcome.EMPTY);
    assertThat(set.failed("timeout", NOW.plusSeconds(1))).isEqualTo(DiscoveredTargets.Outcome.FAILED);
    assertThat(targets.pick().address()).isEqualTo("10.0.0.1:8080");
    assertThat(set.failuresInARow()).isEqualTo(2);
    assertThat(set.lastError()).isEqualTo("timeout");
    assertThat(set.lastLookup()).isEqualTo(NOW.plusSeconds(1));
    assertThat(set.lastChange()).isEqualTo(NOW);

    set.answered(answer("10.0.0.1"), NOW.plusSeconds(2));
    assertThat(set.failuresInARow()).isZero();
    assertThat(set.lastError()).isNull();
  }

  @Test
  void aReloadKeepsTheSetUnlessTheDiscoveryConfigChanged() {
    node.discovered("orders", DNS).answered(answer("10.0.0.1"), NOW);
    node.retainOnly(Set.of());
    assertThat(ServiceTargets.compile(service(DNS), node).pick().address()).isEqualTo("10.0.0.1:8080");
    assertThat(node.find("10.0.0.1:8080")).as("a discovered address is kept when pruning").isNotNull();

    DnsDiscoveryConfig otherPort = new DnsDiscoveryConfig("orders.internal", 9090, false, "",
        Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(2), List.of());
    assertThat(ServiceTargets.compile(service(otherPort), node).hasTargets()).isFalse();
    node.retainDiscovered(Set.of());
    assertThat(node.findDiscovered("orders")).isNull();
  }

  private static List<TargetConfig> answer(String... ips) {
    return DnsAnswers.targets(DNS, List.of(ips));
  }

  private static ServiceConfig service(DnsDiscoveryConfig dns) {
    return new ServiceConfig("orders", List.of(), TimeoutsConfig.DEFAULT, 8, LoadBalancer.ROUND_ROBIN,
        OutlierDetectionConfig.DEFAULT, RetryConfig.NONE, null, null, dns);
  }
}
