package io.tollgate.concurrency;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A route's concurrency cap on one node: at most {@code max} admitted requests at a time, and up to {@code queue}
 * more waiting (first come, first served) for at most their {@code maxWait}. Shared by every event loop;
 * thread-safe (a short lock around counters, no I/O under it).
 *
 * <p>Every {@link Slot} handed out is returned exactly once ({@link Slot#release()} is idempotent), and a waiter
 * leaves the queue exactly once (admitted, timed out or cancelled), so counts stay exact under cancellation,
 * errors and races between a release on one event loop and a timeout on another.
 *
 * <p>{@link #resize} applies a reloaded config: a smaller {@code max} admits nobody new until enough slots were
 * returned; slots already held are never revoked.
 */
public final class Bulkhead {

  private final String name;
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private int max;
  private int queueLimit;
  private int inFlight;

  public Bulkhead(String name, int max, int queueLimit) {
    this.name = name;
    resize(max, queueLimit);
  }

  public String name() {
    return name;
  }

  /** Applies new limits (a config reload). */
  public void resize(int newMax, int newQueueLimit) {
    if (newMax < 1 || newQueueLimit < 0) {
      throw new IllegalArgumentException("max must be >= 1 and queue >= 0, got " + newMax + "/" + newQueueLimit);
    }
    List<Waiter> admitted = new ArrayList<>();
    synchronized (this) {
      max = newMax;
      queueLimit = newQueueLimit;
      // A larger max frees several slots at once: every waiter that now fits is admitted, not just the first.
      while (inFlight < max && !waiters.isEmpty()) {
        admitted.add(pollWaiter());
      }
    }
    admitted.forEach(Waiter::admit);
  }

  /**
   * Asks for a slot, on an event loop.
   *
   * @param context the caller's context: a queued caller is admitted or timed out there
   * @param maxWait how long a queued caller waits
   * @return a future with the slot (already complete when one was free), failed with {@link Full} when the queue is
   *         full or the wait timed out; {@link Waiting#cancel()} on the returned handle gives up waiting
   */
  public Waiting acquire(Context context, Duration maxWait) {
    Waiter waiter;
    synchronized (this) {
      if (inFlight < max && waiters.isEmpty()) {
        inFlight++;
        return new Waiting(Future.succeededFuture(new Slot(this)), null);
      }
      if (waiters.size() >= queueLimit) {
        return new Waiting(Future.failedFuture(Full.QUEUE_FULL), null);
      }
      waiter = new Waiter(this, context);
      waiters.add(waiter);
    }
    waiter.timer = context.owner().setTimer(Math.max(1, maxWait.toMillis()), id -> waiter.giveUp(Full.TIMED_OUT));
    return new Waiting(waiter.promise.future(), waiter);
  }

  /** Admitted requests right now. */
  public synchronized int inFlight() {
    return inFlight;
  }

  /** Waiting requests right now. */
  public synchronized int queued() {
    return waiters.size();
  }

  public synchronized int max() {
    return max;
  }

  private void release() {
    Waiter next;
    synchronized (this) {
      inFlight--;
      next = inFlight < max ? pollWaiter() : null;
    }
    if (next != null) {
      next.admit();
    }
  }

  /** Under the lock: takes the next waiter and counts it in flight. */
  private Waiter pollWaiter() {
    Waiter next = waiters.poll();
    if (next != null) {
      inFlight++;
    }
    return next;
  }

  private synchronized boolean leaveQueue(Waiter waiter) {
    return waiters.remove(waiter);
  }

  /** An admitted request's claim; return it with {@link #release()} when the request is over. */
  public static final class Slot {

    private final Bulkhead bulkhead;
    private boolean released;

    private Slot(Bulkhead bulkhead) {
      this.bulkhead = bulkhead;
    }

    /** Returns the slot; later calls do nothing. Call on the request's event loop. */
    public void release() {
      if (!released) {
        released = true;
        bulkhead.release();
      }
    }
  }

  /** A pending or completed acquisition. */
  public static final class Waiting {

    private final Future<Slot> slot;
    private final Waiter waiter;

    private Waiting(Future<Slot> slot, Waiter waiter) {
      this.slot = slot;
      this.waiter = waiter;
    }

    public Future<Slot> slot() {
      return slot;
    }

    /**
     * Gives up waiting (the client left). If a slot was handed over meanwhile, it arrives on the future anyway:
     * the caller must release it.
     */
    public void cancel() {
      if (waiter != null) {
        waiter.giveUp(Full.CANCELLED);
      }
    }
  }

  /** Why no slot was given. */
  public static final class Full extends RuntimeException {

    static final Full QUEUE_FULL = new Full("all slots are taken and the wait queue is full");
    static final Full TIMED_OUT = new Full("no slot became free within the maximum wait");
    static final Full CANCELLED = new Full("the request gave up waiting");

    private Full(String message) {
      super(message, null, false, false);
    }
  }

  private static final class Waiter {

    private final Bulkhead bulkhead;
    private final Context context;
    private final Promise<Slot> promise = Promise.promise();
    private long timer = -1;

    Waiter(Bulkhead bulkhead, Context context) {
      this.bulkhead = bulkhead;
      this.context = context;
    }

    /** Called with the slot already counted: completes on the waiter's own event loop. */
    void admit() {
      context.runOnContext(v -> {
        if (timer >= 0) {
          context.owner().cancelTimer(timer);
        }
        promise.complete(new Slot(bulkhead));
      });
    }

    void giveUp(Full reason) {
      if (bulkhead.leaveQueue(this)) {
        if (timer >= 0) {
          context.owner().cancelTimer(timer);
        }
        promise.fail(reason);
      }
    }
  }
}
