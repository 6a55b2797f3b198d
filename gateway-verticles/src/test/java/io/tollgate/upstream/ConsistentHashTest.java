package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.HashOn;
import io.tollgate.config.LoadBalancer;
import io.tollgate.config.OutlierDetectionConfig;
import io.tollgate.config.ServiceConfig;
import io.tollgate.observability.Counters;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The {@code consistent-hash} balancer: a key keeps its target, keys spread by weight, a target that leaves (ejected,
 * failing health checks, removed from the config) moves only its own keys and gets them back when it returns, and a
 * request without a key is balanced as {@code least-request}.
 */
class ConsistentHashTest {

  private static final int KEYS = 30_000;

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final UpstreamHealth node = new UpstreamHealth(new Counters(), clock::get);

  @Test
  void aKeyAlwaysGetsTheSameTargetAndKeysSpreadEvenly() {
    ServiceTargets s = compile(1, 1, 1);
    Map<String, Integer> counts = new HashMap<>();
    for (int k = 0; k < KEYS; k++) {
      String target = pick(s, "user-" + k);
      assertThat(pick(s, "user-" + k)).isEqualTo(target);
      counts.merge(target, 1, Integer::sum);
    }
    assertThat(counts).hasSize(3);
    // ±5 % of a third: far outside what 30,000 fair coin flips produce (σ ≈ 82).
    assertThat(counts.values()).allMatch(c -> c > 9_500 && c < 10_500, "each near 10,000: " + counts);
  }

  @Test
  void keysFollowTheWeights() {
    Map<String, Integer> counts = counts(compile(1, 2, 1));
    assertThat(counts.get("10.0.0.1:80")).isBetween(7_000, 8_000);
    assertThat(counts.get("10.0.0.2:80")).isBetween(14_250, 15_750);
    assertThat(counts.get("10.0.0.3:80")).isBetween(7_000, 8_000);
  }

  @Test
  void anEjectedTargetMovesOnlyItsKeysAndGetsThemBack() {
    ServiceTargets s = compile(1, 1, 1, 1);
    Map<String, String> before = assignment(s);
    node.target("10.0.0.2:80").eject(clock.get() + 1_000_000_000L);
    Map<String, String> during = assignment(s);
    int moved = 0;
    for (Map.Entry<String, String> e : before.entrySet()) {
      if (e.getValue().equals("10.0.0.2:80")) {
        assertThat(during.get(e.getKey())).isNotEqualTo("10.0.0.2:80");
        moved++;
      } else {
        assertThat(during.get(e.getKey())).as("key %s stays", e.getKey()).isEqualTo(e.getValue());
      }
    }
    assertThat(moved).as("about a quarter of the keys").isBetween(KEYS / 4 - 750, KEYS / 4 + 750);
    // Its keys spread over the three others, not onto one.
    Map<String, Integer> receivers = new HashMap<>();
    before.forEach((key, target) -> {
      if (target.equals("10.0.0.2:80")) {
        receivers.merge(during.get(key), 1, Integer::sum);
      }
    });
    int quarterOfMoved = moved / 4;
    assertThat(receivers).hasSize(3).allSatisfy((t, c) -> assertThat(c).isGreaterThan(quarterOfMoved));

    clock.addAndGet(2_000_000_000L); // the ejection is over
    assertThat(assignment(s)).isEqualTo(before);
  }

  @Test
  void aTargetRemovedFromTheConfigMovesOnlyItsKeys() {
    Map<String, String> before = assignment(compile(1, 1, 1));
    ServiceTargets two = ServiceTargets.compile(new ServiceConfig("svc",
        Services.service(LoadBalancer.CONSISTENT_HASH, OutlierDetectionConfig.DEFAULT, 1, 1).targets(),
        io.tollgate.config.TimeoutsConfig.DEFAULT, 8, LoadBalancer.CONSISTENT_HASH, OutlierDetectionConfig.DEFAULT,
        io.tollgate.config.RetryConfig.NONE, null, null, null, new HashOn(HashOn.Source.HEADER, "X-User")), node);
    Map<String, String> after = assignment(two);
    before.forEach((key, target) -> {
      if (!target.equals("10.0.0.3:80")) {
        assertThat(after.get(key)).isEqualTo(target);
      }
    });
  }

  @Test
  void whenEveryTargetIsOutTheKeysTargetIsUsedAnyway() {
    ServiceTargets s = compile(1, 1);
    Map<String, String> before = assignment(s);
    node.target("10.0.0.1:80").checked(false, 1, 1);
    node.target("10.0.0.2:80").checked(false, 1, 1);
    assertThat(assignment(s)).isEqualTo(before);
  }

  @Test
  void aRequestWithoutAKeyIsBalancedByLeastRequest() {
    ServiceTargets s = compile(1, 1);
    node.target("10.0.0.1:80").acquire();
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      counts.merge(s.pickFor(ServiceTargets.NO_HASH).address(), 1, Integer::sum);
    }
    assertThat(counts).containsOnlyKeys("10.0.0.2:80");
  }

  @Test
  void aRetryAvoidsTheTargetAlreadyTried() {
    ServiceTargets s = compile(1, 1, 1);
    long key = hash("user-7");
    Target first = s.acquire(0, key);
    assertThat(s.acquire(first.bit(), key)).isNotEqualTo(first);
  }

  private ServiceTargets compile(int... weights) {
    ServiceConfig base = Services.service(LoadBalancer.CONSISTENT_HASH, OutlierDetectionConfig.DEFAULT, weights);
    return ServiceTargets.compile(new ServiceConfig(base.name(), base.targets(), base.timeouts(), 8,
        LoadBalancer.CONSISTENT_HASH, OutlierDetectionConfig.DEFAULT, io.tollgate.config.RetryConfig.NONE, null, null,
        null, new HashOn(HashOn.Source.HEADER, "X-User")), node);
  }

  private static String pick(ServiceTargets s, String key) {
    return s.pickFor(hash(key)).address();
  }

  private static long hash(String key) {
    return ServiceTargets.hashKey(key, 0, key.length());
  }

  private static Map<String, String> assignment(ServiceTargets s) {
    Map<String, String> map = new HashMap<>();
    for (int k = 0; k < KEYS; k++) {
      map.put("user-" + k, pick(s, "user-" + k));
    }
    return map;
  }

  private static Map<String, Integer> counts(ServiceTargets s) {
    Map<String, Integer> counts = new HashMap<>();
    assignment(s).values().forEach(t -> counts.merge(t, 1, Integer::sum));
    return counts;
  }
}
