package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.LoadBalancer;
import io.tollgate.config.OutlierDetectionConfig;
import io.tollgate.observability.Counters;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Passive outlier detection with a fake clock: threshold, ejection length, expiry, cap, shared state. */
class OutlierDetectionTest {

  private static final OutlierDetectionConfig THREE = new OutlierDetectionConfig(3, Duration.ofSeconds(30),
      Duration.ofSeconds(75), 50);

  private final AtomicLong clock = new AtomicLong(5_000_000_000L);
  private final Counters counters = new Counters();
  private final UpstreamHealth node = new UpstreamHealth(counters, clock::get);

  @Test
  void consecutiveFailuresEjectAndASuccessResetsTheStreak() {
    Target t = targets(THREE, 1, 1, 1).targets().get(0);
    t.failed();
    t.failed();
    t.succeeded(0);
    t.failed();
    t.failed();
    assertThat(node.isEjected(t.health())).isFalse();
    t.failed();
    assertThat(node.isEjected(t.health())).isTrue();
    assertThat(t.health().ejections()).isEqualTo(1);
    assertThat(t.health().consecutiveFailures()).isZero();
    assertThat(counters.get("upstream.ejections")).isEqualTo(1);
    assertThat(counters.get("upstream.ejections.svc")).isEqualTo(1);
  }

  @Test
  void ejectionLastsBaseTimesCountCappedAndThenTheTargetIsBack() {
    Target t = targets(THREE, 1, 1, 1).targets().get(0);
    long[] expected = {30, 60, 75, 75};
    for (long seconds : expected) {
      failThrice(t);
      assertThat(node.ejectedForMillis(t.health())).isEqualTo(seconds * 1000);
      advance(Duration.ofSeconds(seconds).minusMillis(1));
      assertThat(node.isEjected(t.health())).isTrue();
      advance(Duration.ofMillis(1));
      assertThat(node.isEjected(t.health())).isFalse();
    }
    assertThat(t.health().ejections()).isEqualTo(4);
  }

  @Test
  void failuresWhileEjectedDoNotExtendTheEjection() {
    Target t = targets(THREE, 1, 1, 1).targets().get(0);
    failThrice(t);
    failThrice(t);
    assertThat(t.health().ejections()).isEqualTo(1);
    assertThat(t.health().consecutiveFailures()).isZero();
  }

  @Test
  void theCapKeepsHalfOfTheTargetsAndNeverAll() {
    ServiceTargets two = targets(THREE, 1, 1);
    failThrice(two.targets().get(0));
    failThrice(two.targets().get(1));
    assertThat(node.isEjected(two.targets().get(0).health())).isTrue();
    assertThat(node.isEjected(two.targets().get(1).health())).as("the last target stays").isFalse();

    UpstreamHealth other = new UpstreamHealth(counters, clock::get);
    ServiceTargets all = ServiceTargets.compile(Services.service(LoadBalancer.ROUND_ROBIN,
        new OutlierDetectionConfig(3, Duration.ofSeconds(30), Duration.ofSeconds(300), 100), 1, 1), other);
    assertThat(all.maxEjected()).isEqualTo(1);
    assertThat(ServiceTargets.compile(Services.service(LoadBalancer.ROUND_ROBIN, THREE, 1), other).maxEjected())
        .isZero();
  }

  @Test
  void onceTheFirstIsBackTheSecondMayGo() {
    ServiceTargets two = targets(THREE, 1, 1);
    failThrice(two.targets().get(0));
    failThrice(two.targets().get(1));
    advance(Duration.ofSeconds(30));
    two.targets().get(1).failed();
    assertThat(node.isEjected(two.targets().get(1).health())).isTrue();
  }

  @Test
  void zeroDisablesEjection() {
    Target t = targets(new OutlierDetectionConfig(0, Duration.ofSeconds(30), Duration.ofSeconds(300), 50), 1, 1)
        .targets().get(0);
    for (int i = 0; i < 20; i++) {
      t.failed();
    }
    assertThat(node.isEjected(t.health())).isFalse();
  }

  @Test
  void stateIsKeyedByAddressSoARecompiledServiceKeepsIt() {
    failThrice(targets(THREE, 1, 1, 1).targets().get(2));
    ServiceTargets reloaded = targets(THREE, 2, 2, 2);
    assertThat(node.isEjected(reloaded.targets().get(2).health())).isTrue();
    assertThat(reloaded.targets().get(2).health().ejections()).isEqualTo(1);
  }

  private ServiceTargets targets(OutlierDetectionConfig outliers, int... weights) {
    return ServiceTargets.compile(Services.service(LoadBalancer.LEAST_REQUEST, outliers, weights), node);
  }

  private static void failThrice(Target t) {
    t.failed();
    t.failed();
    t.failed();
  }

  private void advance(Duration d) {
    clock.addAndGet(d.toNanos());
  }
}
