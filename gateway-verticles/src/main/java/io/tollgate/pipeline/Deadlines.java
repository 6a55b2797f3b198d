package io.tollgate.pipeline;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.internal.ContextInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-request timeouts of one event loop at O(1) per request, without a timer per request.
 *
 * <p>Almost every request arms a deadline with the same delay as the requests before it (its route's response
 * timeout) and cancels it a millisecond later. A timer per request costs a scheduled task, a heap insertion and
 * removal, and with Vert.x timers a shared map entry. Here, deadlines with the same delay go into one FIFO
 * <em>lane</em>: since each is {@code now + delay}, the lane stays ordered by deadline, arming appends to its tail
 * and cancelling unlinks the node. Each lane has at most one scheduled task, for its head; a task that finds its
 * head cancelled re-schedules for the new head, so a busy lane schedules about once per {@code delay}, not once per
 * request. A delay seen once (a retry's remaining time) gets a lane of its own, which is dropped when it empties —
 * then this is no cheaper than a timer, and no worse.
 *
 * <p>Contract: confined to the event loop of the context it was created on; {@link #arm} and {@link Deadline#cancel}
 * must be called there. Actions run on that event loop with the context dispatched (as a Vert.x timer handler
 * would), no earlier than their deadline and typically within a millisecond of it. An action that throws is logged
 * and does not stop the others.
 */
public final class Deadlines {

  private static final Logger LOG = LoggerFactory.getLogger(Deadlines.class);

  private final ContextInternal context;
  private final EventLoop loop;
  private final List<Lane> lanes = new ArrayList<>(4);

  public Deadlines(ContextInternal context) {
    this.context = context;
    this.loop = context.nettyEventLoop();
  }

  /** A pending deadline; {@link #cancel} is idempotent and a no-op once the action ran. */
  public static final class Deadline {
    private final long at;
    private final Runnable action;
    private Lane lane;
    private Deadline prev;
    private Deadline next;

    private Deadline(long at, Runnable action) {
      this.at = at;
      this.action = action;
    }

    /** Forgets the deadline: its action will not run. */
    public void cancel() {
      if (lane != null) {
        lane.unlink(this);
      }
    }
  }

  /**
   * Runs {@code action} once {@code delayNanos} have passed since {@code nowNanos} (a {@link System#nanoTime()}
   * reading the caller already has), unless cancelled first.
   *
   * @param delayNanos at least one millisecond is used
   */
  public Deadline arm(long nowNanos, long delayNanos, Runnable action) {
    long delay = Math.max(delayNanos, TimeUnit.MILLISECONDS.toNanos(1));
    Deadline deadline = new Deadline(nowNanos + delay, action);
    lane(delay).append(deadline);
    return deadline;
  }

  /** Deadlines armed and not yet run nor cancelled (for tests and status). */
  public int pending() {
    int n = 0;
    for (Lane lane : lanes) {
      n += lane.size;
    }
    return n;
  }

  private Lane lane(long delay) {
    for (int i = 0; i < lanes.size(); i++) {
      Lane lane = lanes.get(i);
      if (lane.delay == delay) {
        return lane;
      }
    }
    Lane lane = new Lane(delay);
    lanes.add(lane);
    return lane;
  }

  /** Deadlines of one delay, in deadline order; one scheduled task at most. */
  private final class Lane {
    private final long delay;
    private Deadline head;
    private Deadline tail;
    private int size;
    private ScheduledFuture<?> task;
    private boolean firing;

    private Lane(long delay) {
      this.delay = delay;
    }

    void append(Deadline d) {
      d.lane = this;
      d.prev = tail;
      if (tail == null) {
        head = d;
      } else {
        tail.next = d;
      }
      tail = d;
      size++;
      if (task == null && !firing) {
        schedule(d.at);
      }
    }

    void unlink(Deadline d) {
      if (d.prev == null) {
        head = d.next;
      } else {
        d.prev.next = d.next;
      }
      if (d.next == null) {
        tail = d.prev;
      } else {
        d.next.prev = d.prev;
      }
      d.lane = null;
      d.prev = null;
      d.next = null;
      size--;
    }

    private void schedule(long at) {
      task = loop.schedule(this::fire, Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private void fire() {
      task = null;
      firing = true; // an action may arm a deadline in this lane: scheduled below, not twice
      long now = System.nanoTime();
      while (head != null && head.at - now <= 0) {
        Deadline due = head;
        unlink(due);
        context.emit(v -> run(due));
      }
      firing = false;
      if (head != null) {
        schedule(head.at);
      } else {
        lanes.remove(this);
      }
    }

    private void run(Deadline due) {
      try {
        due.action.run();
      } catch (RuntimeException e) {
        LOG.error("a deadline's action failed", e);
      }
    }
  }
}
