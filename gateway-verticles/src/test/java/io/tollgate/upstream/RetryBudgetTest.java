package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The retry budget's arithmetic over its sliding ten-second window, with a fake clock. */
class RetryBudgetTest {

  private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);

  @Test
  void retriesAreCappedAtThePercentOfRequestsPlusTheMinimum() {
    RetryBudget budget = new RetryBudget(20, 1, clock::get);
    for (int i = 0; i < 100; i++) {
      budget.recordRequest();
    }
    // 20 % of 100 requests + 1/s × 10 s
    assertThat(granted(budget, 100)).isEqualTo(30);
  }

  @Test
  void withoutTrafficOnlyTheMinimumIsLeft() {
    assertThat(granted(new RetryBudget(20, 10, clock::get), 1000)).isEqualTo(100);
    assertThat(granted(new RetryBudget(20, 0, clock::get), 1000)).isZero();
  }

  @Test
  void underTotalFailureTheUpstreamSeesAtMostOnePointTwoTimesTheRequests() {
    RetryBudget budget = new RetryBudget(20, 0, clock::get);
    long attempts = 0;
    for (int i = 0; i < 5_000; i++) {
      budget.recordRequest();
      attempts++;
      for (int retry = 0; retry < 4 && budget.tryRetry(); retry++) {
        attempts++; // every attempt fails; "attempts: 5" would allow four retries each
      }
      clock.addAndGet(1_000_000); // 1000 requests per second
    }
    assertThat(attempts).isBetween(5_000L * 119 / 100, 5_000L * 120 / 100);
  }

  @Test
  void oldSecondsLeaveTheWindow() {
    RetryBudget budget = new RetryBudget(50, 0, clock::get);
    for (int i = 0; i < 10; i++) {
      budget.recordRequest();
    }
    assertThat(granted(budget, 100)).isEqualTo(5);
    clock.addAndGet(9_000_000_000L);
    assertThat(granted(budget, 100)).as("still in the window").isZero();
    clock.addAndGet(1_000_000_000L);
    assertThat(granted(budget, 100)).as("the requests left the window with the retries").isZero();
    budget.recordRequest();
    budget.recordRequest();
    assertThat(granted(budget, 100)).isEqualTo(1);
  }

  private static int granted(RetryBudget budget, int wanted) {
    int granted = 0;
    for (int i = 0; i < wanted; i++) {
      if (budget.tryRetry()) {
        granted++;
      }
    }
    return granted;
  }
}
