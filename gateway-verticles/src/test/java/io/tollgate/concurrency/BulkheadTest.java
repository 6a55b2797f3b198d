package io.tollgate.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.concurrency.Bulkhead.Full;
import io.tollgate.concurrency.Bulkhead.Slot;
import io.tollgate.concurrency.Bulkhead.Waiting;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One route's cap on real event loops: admission, the bounded FIFO queue, its timeout, cancellation, resizing,
 * and exact counts (no slot leaked or returned twice) under races between two event loops.
 */
@ExtendWith(BlockedThreadGuard.class)
class BulkheadTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration LONG = Duration.ofSeconds(30);

  private final Vertx vertx = Vertx.vertx(BlockedThreadGuard.vertxOptions());
  private final Context loop = vertx.getOrCreateContext();

  @AfterEach
  void stop() {
    Await.result(vertx.close(), WAIT);
  }

  @Test
  void admitsAtOnceUpToMaxThenRefusesWithoutAQueue() {
    Bulkhead bulkhead = new Bulkhead("r", 2, 0);

    Slot a = admitted(acquire(bulkhead, LONG));
    Slot b = admitted(acquire(bulkhead, LONG));
    Waiting refused = acquire(bulkhead, LONG);

    assertThat(refused.slot().failed()).isTrue();
    assertThat(refused.slot().cause()).isSameAs(Full.QUEUE_FULL)
        .hasMessage("all slots are taken and the wait queue is full");
    assertCounts(bulkhead, 2, 0);
    release(a, b);
    assertCounts(bulkhead, 0, 0);
  }

  @Test
  void queuesUpToItsLimitAndHandsSlotsOverFirstComeFirstServed() {
    Bulkhead bulkhead = new Bulkhead("r", 1, 2);
    Slot first = admitted(acquire(bulkhead, LONG));
    Waiting second = acquire(bulkhead, LONG);
    Waiting third = acquire(bulkhead, LONG);

    Waiting fourth = acquire(bulkhead, LONG);
    assertThat(fourth.slot().cause()).isSameAs(Full.QUEUE_FULL);
    assertThat(second.slot().isComplete()).isFalse();
    assertThat(third.slot().isComplete()).isFalse();
    assertCounts(bulkhead, 1, 2);

    Slot secondSlot = handOver(first, second);
    assertThat(third.slot().isComplete()).as("the later waiter still waits").isFalse();
    assertCounts(bulkhead, 1, 1);

    Slot thirdSlot = handOver(secondSlot, third);
    assertCounts(bulkhead, 1, 0);
    release(thirdSlot);
    assertCounts(bulkhead, 0, 0);
  }

  @Test
  void aWaiterThatWaitsTooLongFailsAndLeavesTheQueue() {
    Bulkhead bulkhead = new Bulkhead("r", 1, 1);
    Slot held = admitted(acquire(bulkhead, LONG));
    long start = System.nanoTime();

    Waiting waiting = acquire(bulkhead, Duration.ofMillis(100));
    Throwable failure = failure(waiting.slot());

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(90));
    assertThat(failure).isSameAs(Full.TIMED_OUT).hasMessage("no slot became free within the maximum wait");
    assertCounts(bulkhead, 1, 0);
    release(held);
    assertCounts(bulkhead, 0, 0);
    release(admitted(acquire(bulkhead, LONG)));
    assertCounts(bulkhead, 0, 0);
  }

  @Test
  void aCancelledWaiterLeavesTheQueueAndGetsNoSlot() {
    Bulkhead bulkhead = new Bulkhead("r", 1, 2);
    Slot held = admitted(acquire(bulkhead, LONG));
    Waiting cancelled = acquire(bulkhead, LONG);
    Waiting next = acquire(bulkhead, LONG);

    on(loop, () -> {
      cancelled.cancel();
      return true;
    });

    assertThat(failure(cancelled.slot())).isSameAs(Full.CANCELLED);
    assertCounts(bulkhead, 1, 1);
    Slot nextSlot = handOver(held, next);
    assertCounts(bulkhead, 1, 0);
    release(nextSlot);
    assertCounts(bulkhead, 0, 0);
  }

  @Test
  void aSlotHandedOverWhileTheWaiterCancelsIsNeverLeaked() {
    Context a = loop;
    Context b = otherEventLoop(a);
    Bulkhead bulkhead = new Bulkhead("r", 1, 1);
    int handedOver = 0;
    int rounds = 300;

    for (int round = 0; round < rounds; round++) {
      Slot held = admitted(on(a, () -> bulkhead.acquire(a, LONG)));
      Waiting waiting = on(b, () -> bulkhead.acquire(b, LONG));
      // What ConcurrencyPolicy does when the client left: a slot that arrives anyway is returned at once.
      Future<Boolean> outcome = waiting.slot().transform(ar -> {
        if (ar.succeeded()) {
          ar.result().release();
        }
        return Future.succeededFuture(ar.succeeded());
      });
      AtomicInteger ready = new AtomicInteger(2);
      a.runOnContext(v -> {
        startTogether(ready);
        held.release();
      });
      b.runOnContext(v -> {
        startTogether(ready);
        waiting.cancel();
      });
      handedOver += Await.result(outcome, WAIT) ? 1 : 0;
      Await.until(() -> bulkhead.inFlight() == 0, WAIT,
          () -> "a slot leaked: inFlight=" + bulkhead.inFlight() + ", queued=" + bulkhead.queued());
      assertCounts(bulkhead, 0, 0);
    }
    // Both orders must have happened, or the race was not exercised.
    assertThat(handedOver).as("rounds where the slot was handed over before the cancel").isBetween(1, rounds - 1);
  }

  @Test
  void releasingASlotTwiceReturnsItOnce() {
    Bulkhead bulkhead = new Bulkhead("r", 1, 2);
    Slot held = admitted(acquire(bulkhead, LONG));
    Waiting queued = acquire(bulkhead, LONG);

    release(held, held);
    Slot handedOver = Await.result(queued.slot(), WAIT);

    assertCounts(bulkhead, 1, 0);
    Waiting stillCapped = acquire(bulkhead, LONG);
    assertThat(stillCapped.slot().isComplete()).as("the double release freed no second slot").isFalse();
    assertCounts(bulkhead, 1, 1);
    release(handedOver, handedOver);
    release(Await.result(stillCapped.slot(), WAIT));
    assertCounts(bulkhead, 0, 0);
  }

  @Test
  void shrinkingAdmitsNobodyUntilEnoughSlotsCameBack() {
    Bulkhead bulkhead = new Bulkhead("r", 3, 5);
    Slot a = admitted(acquire(bulkhead, LONG));
    Slot b = admitted(acquire(bulkhead, LONG));
    Slot c = admitted(acquire(bulkhead, LONG));

    bulkhead.resize(1, 5);
    Waiting waiting = acquire(bulkhead, LONG);
    assertCounts(bulkhead, 3, 1);
    release(a);
    release(b);
    assertThat(waiting.slot().isComplete()).as("one still in flight, max 1").isFalse();
    assertCounts(bulkhead, 1, 1);

    Slot admitted = handOver(c, waiting);
    assertCounts(bulkhead, 1, 0);
    release(admitted);
    assertCounts(bulkhead, 0, 0);
  }

  @Test
  void growingAdmitsEveryWaiterThatNowFits() {
    Bulkhead bulkhead = new Bulkhead("r", 1, 5);
    Slot held = admitted(acquire(bulkhead, LONG));
    Waiting second = acquire(bulkhead, LONG);
    Waiting third = acquire(bulkhead, LONG);
    Waiting fourth = acquire(bulkhead, LONG);

    bulkhead.resize(3, 5);

    Slot secondSlot = Await.result(second.slot(), WAIT);
    Slot thirdSlot = Await.result(third.slot(), WAIT);
    assertThat(fourth.slot().isComplete()).as("max 3: held, second and third").isFalse();
    assertCounts(bulkhead, 3, 1);
    Slot fourthSlot = handOver(held, fourth);
    release(secondSlot, thirdSlot, fourthSlot);
    assertCounts(bulkhead, 0, 0);
  }

  /** {@link Bulkhead#acquire} on {@link #loop}, as the concurrency policy calls it. */
  private Waiting acquire(Bulkhead bulkhead, Duration maxWait) {
    return on(loop, () -> bulkhead.acquire(loop, maxWait));
  }

  private void release(Slot... slots) {
    on(loop, () -> {
      for (Slot slot : slots) {
        slot.release();
      }
      return null;
    });
  }

  /** Returns {@code slot} and waits for it to reach {@code next}, the first waiter in the queue. */
  private Slot handOver(Slot slot, Waiting next) {
    release(slot);
    return Await.result(next.slot(), WAIT);
  }

  private static Slot admitted(Waiting waiting) {
    assertThat(waiting.slot().succeeded()).as("admitted at once").isTrue();
    return waiting.slot().result();
  }

  private static Throwable failure(Future<?> future) {
    Await.until(future::isComplete, WAIT, () -> "the waiter never left the queue");
    assertThat(future.failed()).isTrue();
    return future.cause();
  }

  private static void assertCounts(Bulkhead bulkhead, int inFlight, int queued) {
    assertThat(bulkhead.inFlight()).as("inFlight").isEqualTo(inFlight);
    assertThat(bulkhead.queued()).as("queued").isEqualTo(queued);
  }

  private static <T> T on(Context context, Supplier<T> action) {
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> result.complete(action.get()));
    return Await.result(result.future(), WAIT);
  }

  /** A context on an event-loop thread other than {@code context}'s, so the two really run in parallel. */
  private Context otherEventLoop(Context context) {
    String thread = on(context, () -> Thread.currentThread().getName());
    for (int i = 0; i < 16; i++) {
      Context candidate = deployedContext();
      if (!on(candidate, () -> Thread.currentThread().getName()).equals(thread)) {
        return candidate;
      }
    }
    throw new AssertionError("Vert.x gave every context the thread " + thread);
  }

  /** Each deployment gets its own context, on the next event loop. */
  private Context deployedContext() {
    Promise<Context> started = Promise.promise();
    Await.result(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        started.complete(context);
        return Future.succeededFuture();
      }
    }), WAIT);
    return Await.result(started.future(), WAIT);
  }

  /** Both event loops arrive here, then go on together (a spin of microseconds, far below the blocked-thread guard). */
  private static void startTogether(AtomicInteger ready) {
    ready.decrementAndGet();
    while (ready.get() > 0) {
      Thread.onSpinWait();
    }
  }
}
