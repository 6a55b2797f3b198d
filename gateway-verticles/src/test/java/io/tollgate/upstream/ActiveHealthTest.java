package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.LoadBalancer;
import io.tollgate.config.OutlierDetectionConfig;
import io.tollgate.observability.Counters;
import org.junit.jupiter.api.Test;

/** Active health: thresholds of consecutive check results, and how the balancers treat unhealthy targets. */
class ActiveHealthTest {

  private final UpstreamHealth node = new UpstreamHealth(new Counters(), () -> 0L);

  @Test
  void failuresInARowTakeATargetOutAndPassesInARowBringItBack() {
    TargetHealth h = node.target("10.0.0.9:80");
    assertThat(h.checked(false, 2, 3)).isFalse();
    assertThat(h.checked(false, 2, 3)).isFalse();
    assertThat(h.checked(true, 2, 3)).as("a pass breaks the streak").isFalse();
    assertThat(h.checked(false, 2, 3)).isFalse();
    assertThat(h.checked(false, 2, 3)).isFalse();
    assertThat(h.checked(false, 2, 3)).isTrue();
    assertThat(h.isUnhealthy()).isTrue();
    assertThat(node.state(h)).isEqualTo("unhealthy");
    assertThat(h.checked(false, 2, 3)).as("already out").isFalse();
    assertThat(h.checked(true, 2, 3)).isFalse();
    assertThat(h.checked(true, 2, 3)).isTrue();
    assertThat(h.isUnhealthy()).isFalse();
    assertThat(node.state(h)).isEqualTo("healthy");
  }

  @Test
  void unhealthyTargetsAreSkippedUnlessAllAreUnhealthy() {
    ServiceTargets targets = ServiceTargets.compile(
        Services.service(LoadBalancer.ROUND_ROBIN, OutlierDetectionConfig.DEFAULT, 1, 1, 1), node);
    Target a = targets.targets().get(0);
    Target b = targets.targets().get(1);
    Target c = targets.targets().get(2);
    a.health().checked(false, 1, 1);
    for (int i = 0; i < 30; i++) {
      assertThat(targets.acquire(0)).isNotSameAs(a);
    }
    b.health().checked(false, 1, 1);
    c.health().checked(false, 1, 1);
    assertThat(targets.acquire(0)).as("fail open: Envoy's panic mode").isNotNull();
    c.health().clearChecks();
    for (int i = 0; i < 10; i++) {
      assertThat(targets.acquire(0)).isSameAs(c);
    }
  }
}
