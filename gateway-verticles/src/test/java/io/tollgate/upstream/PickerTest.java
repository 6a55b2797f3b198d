package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.LoadBalancer;
import io.tollgate.config.OutlierDetectionConfig;
import io.tollgate.observability.Counters;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Target choice of {@link ServiceTargets}: round robin, smooth weights, power of two choices, ejected targets. */
class PickerTest {

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final UpstreamHealth node = new UpstreamHealth(new Counters(), clock::get);

  @Test
  void roundRobinTakesEachTargetInTurn() {
    ServiceTargets s = ServiceTargets.compile(Services.service(LoadBalancer.ROUND_ROBIN, OutlierDetectionConfig.DEFAULT,
        1, 5, 1), node);
    assertThat(addresses(s, 6)).containsExactly("10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80",
        "10.0.0.1:80", "10.0.0.2:80", "10.0.0.3:80");
  }

  @Test
  void weightedInterleavesByWeight() {
    ServiceTargets s = ServiceTargets.compile(Services.service(LoadBalancer.WEIGHTED, OutlierDetectionConfig.DEFAULT,
        5, 1, 1), node);
    assertThat(addresses(s, 7)).containsExactly("10.0.0.1:80", "10.0.0.1:80", "10.0.0.2:80", "10.0.0.1:80",
        "10.0.0.3:80", "10.0.0.1:80", "10.0.0.1:80");
    assertThat(counts(s, 3500)).containsOnly(
        Map.entry("10.0.0.1:80", 2500), Map.entry("10.0.0.2:80", 500), Map.entry("10.0.0.3:80", 500));
  }

  @Test
  void weightsReduceByTheirGreatestCommonDivisor() {
    assertThat(SmoothWeights.schedule(Services.service(LoadBalancer.WEIGHTED, OutlierDetectionConfig.DEFAULT,
        200, 600).targets())).containsExactly(1, 0, 1, 1);
  }

  @Test
  void leastRequestNeverPicksTheBusierOfTwo() {
    ServiceTargets s = ServiceTargets.compile(Services.service(LoadBalancer.LEAST_REQUEST,
        OutlierDetectionConfig.DEFAULT, 1, 1), node);
    node.target("10.0.0.1:80").acquire();
    assertThat(counts(s, 200)).containsOnlyKeys("10.0.0.2:80");
  }

  @Test
  void leastRequestAvoidsTheBusiestOfThree() {
    ServiceTargets s = ServiceTargets.compile(Services.service(LoadBalancer.LEAST_REQUEST,
        OutlierDetectionConfig.DEFAULT, 1, 1, 1), node);
    for (int i = 0; i < 5; i++) {
      node.target("10.0.0.3:80").acquire();
    }
    Map<String, Integer> counts = counts(s, 3000);
    // The two choices are distinct targets, so the busy one always loses to the other.
    assertThat(counts).doesNotContainKey("10.0.0.3:80");
    assertThat(counts.get("10.0.0.1:80")).isBetween(1200, 1800);
  }

  @Test
  void leastRequestWeighsInFlightByWeight() {
    ServiceTargets s = ServiceTargets.compile(Services.service(LoadBalancer.LEAST_REQUEST,
        OutlierDetectionConfig.DEFAULT, 1, 4), node);
    node.target("10.0.0.2:80").acquire();
    node.target("10.0.0.2:80").acquire();
    node.target("10.0.0.1:80").acquire();
    // 2 in flight at weight 4 is less load than 1 at weight 1.
    assertThat(counts(s, 100)).containsOnlyKeys("10.0.0.2:80");
  }

  @Test
  void releasedRequestsLeaveNoCount() {
    TargetHealth t = node.target("10.0.0.1:80");
    t.acquire();
    t.acquire();
    t.release().run();
    t.release().run();
    assertThat(t.inFlight()).isZero();
    assertThat(t.release()).isSameAs(t.release());
  }

  @Test
  void everyBalancerSkipsAnEjectedTarget() {
    OutlierDetectionConfig oneFailure = new OutlierDetectionConfig(1, java.time.Duration.ofSeconds(30),
        java.time.Duration.ofSeconds(300), 50);
    for (LoadBalancer lb : LoadBalancer.values()) {
      UpstreamHealth fresh = new UpstreamHealth(new Counters(), clock::get);
      ServiceTargets s = ServiceTargets.compile(Services.service(lb, oneFailure, 1, 1, 2), fresh);
      s.targets().get(1).failed();
      assertThat(counts(s, 300)).as(lb.configName()).doesNotContainKey("10.0.0.2:80").hasSize(2);
    }
  }

  private static List<String> addresses(ServiceTargets s, int n) {
    return java.util.stream.IntStream.range(0, n).mapToObj(i -> s.pick().address()).toList();
  }

  private static Map<String, Integer> counts(ServiceTargets s, int n) {
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(s.pick().address(), 1, Integer::sum);
    }
    return counts;
  }
}
