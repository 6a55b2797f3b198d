package io.tollgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deadlines on a real event loop: order, cancellation, re-arming from an action, lanes of different delays. */
class DeadlinesTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  private Vertx vertx;
  private Context context;
  private Deadlines deadlines;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    context = vertx.getOrCreateContext();
    deadlines = onLoop(() -> new Deadlines((ContextInternal) context));
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  @Test
  void actionsRunAtTheirDeadlineInOrderOnTheEventLoopAndCancelledOnesNever() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> last = new CompletableFuture<>();
    long[] armedAt = new long[1];
    long[] ranAt = new long[3];
    onLoop(() -> {
      armedAt[0] = System.nanoTime();
      deadlines.arm(armedAt[0], 60 * MS, () -> record(ran, "a", ranAt, 0));
      Deadlines.Deadline b = deadlines.arm(armedAt[0], 60 * MS, () -> ran.add("b"));
      deadlines.arm(armedAt[0], 60 * MS, () -> record(ran, "c", ranAt, 1));
      deadlines.arm(armedAt[0], 150 * MS, () -> {
        record(ran, "d", ranAt, 2);
        last.complete(null);
      });
      b.cancel();
      b.cancel(); // idempotent
      return null;
    });
    last.get(5, TimeUnit.SECONDS);
    assertThat(ran).containsExactly("a", "c", "d");
    assertThat(ranAt[0] - armedAt[0]).isGreaterThanOrEqualTo(60 * MS);
    assertThat(ranAt[2] - armedAt[0]).isGreaterThanOrEqualTo(150 * MS);
    assertThat(onLoop(deadlines::pending)).isZero();
  }

  @Test
  void aCancelledHeadLetsTheNextOneRunAtItsOwnTime() throws Exception {
    CompletableFuture<Long> second = new CompletableFuture<>();
    long[] armedAt = new long[1];
    onLoop(() -> {
      long now = System.nanoTime();
      Deadlines.Deadline first = deadlines.arm(now, 30 * MS, () -> second.completeExceptionally(new AssertionError()));
      armedAt[0] = now + 20 * MS; // armed "20 ms later" in the same lane
      deadlines.arm(armedAt[0], 30 * MS, () -> second.complete(System.nanoTime()));
      first.cancel();
      return null;
    });
    assertThat(second.get(5, TimeUnit.SECONDS) - armedAt[0]).isGreaterThanOrEqualTo(30 * MS);
  }

  @Test
  void aDeadlineCountedFromFurtherBackRunsAtItsOwnTimeBeforeLaterOnesOfItsLane() throws Exception {
    List<String> ran = new CopyOnWriteArrayList<>();
    CompletableFuture<Void> all = new CompletableFuture<>();
    long[] at = new long[2];
    long[] start = new long[1];
    onLoop(() -> {
      start[0] = System.nanoTime();
      deadlines.arm(start[0], 300 * MS, () -> {
        ran.add("later");
        all.complete(null);
      });
      // Same timeout, counted from 250 ms earlier: due in 50 ms, ahead of the lane's scheduled head.
      deadlines.arm(start[0] - 250 * MS, 300 * MS, () -> {
        at[0] = System.nanoTime();
        ran.add("earlier");
      });
      return null;
    });
    all.get(5, TimeUnit.SECONDS);
    assertThat(ran).containsExactly("earlier", "later");
    assertThat(at[0] - start[0]).isBetween(50 * MS, 250 * MS);
    assertThat(onLoop(deadlines::lanes)).isZero();
  }

  @Test
  void eachTimeoutHasOneLaneDroppedOnceEmpty() throws Exception {
    CompletableFuture<Void> done = new CompletableFuture<>();
    onLoop(() -> {
      long now = System.nanoTime();
      for (int i = 0; i < 1000; i++) {
        deadlines.arm(now + i, 20 * MS, () -> { }).cancel();
        deadlines.arm(now + i, 30 * MS, () -> { });
      }
      deadlines.arm(now, 40 * MS, () -> done.complete(null));
      assertThat(deadlines.lanes()).isEqualTo(3);
      assertThat(deadlines.pending()).isEqualTo(1001);
      return null;
    });
    done.get(5, TimeUnit.SECONDS);
    assertThat(onLoop(deadlines::pending)).isZero();
    assertThat(onLoop(deadlines::lanes)).isZero();
  }

  @Test
  void anActionMayArmAgainAndTheVertxContextIsCurrent() throws Exception {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    int[] rounds = new int[1];
    Runnable[] again = new Runnable[1];
    again[0] = () -> {
      assertThat(Vertx.currentContext()).isSameAs(context);
      if (++rounds[0] < 3) {
        deadlines.arm(System.nanoTime(), 5 * MS, again[0]);
      } else {
        done.complete(rounds[0]);
      }
    };
    onLoop(() -> deadlines.arm(System.nanoTime(), 5 * MS, again[0]));
    assertThat(done.get(5, TimeUnit.SECONDS)).isEqualTo(3);
    assertThat(onLoop(deadlines::pending)).isZero();
  }

  @Test
  void aFailingActionDoesNotStopTheOthers() throws Exception {
    CompletableFuture<Void> after = new CompletableFuture<>();
    onLoop(() -> {
      long now = System.nanoTime();
      deadlines.arm(now, 10 * MS, () -> {
        throw new IllegalStateException("boom");
      });
      deadlines.arm(now, 10 * MS, () -> after.complete(null));
      return null;
    });
    after.get(5, TimeUnit.SECONDS);
  }

  private static void record(List<String> ran, String name, long[] at, int i) {
    at[i] = System.nanoTime();
    ran.add(name);
  }

  private <T> T onLoop(Supplier<T> body) {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        result.complete(body.get());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      }
    });
    return result.join();
  }
}
