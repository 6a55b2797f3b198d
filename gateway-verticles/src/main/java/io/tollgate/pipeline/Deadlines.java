package io.tollgate.pipeline;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import io.vertx.core.internal.ContextInternal;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-request timeouts of one event loop at O(1) per request, without a timer per request.
 *
 * <p>Almost every request arms a deadline with the same timeout as the requests before it (its route's response
 * timeout), counted from a moment just past, and cancels it a millisecond later. A timer per request costs a
 * scheduled task, a heap insertion and removal, and with Vert.x timers a shared map entry. Here, deadlines with the
 * same timeout go into one <em>lane</em> ordered by deadline: since each is {@code start + timeout} with starts
 * that only move forward, arming appends to the tail, and cancelling unlinks the node. Each lane has at most one
 * scheduled task, for its head; a task that finds its head cancelled re-schedules for the new head, so a busy lane
 * schedules about once per timeout, not once per request. A deadline counted from further back (a body that kept
 * moving, re-armed from its last progress) is inserted in order, walking back from the tail past the later ones.
 * A timeout seen once (a retry's remaining time) gets a lane of its own, dropped when it empties: then this costs
 * about what a timer does.
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
  private final Map<Long, Lane> lanes = new HashMap<>();
  private Lane lastUsed;

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
   * Runs {@code action} once {@code timeoutNanos} have passed since {@code startNanos} (a {@link System#nanoTime()}
   * reading, now or earlier), unless cancelled first. A deadline already past runs on the next turn.
   *
   * @param timeoutNanos at least one millisecond is used; deadlines are grouped by this value, so pass the
   *                     configured timeout, not a remainder computed from it
   */
  public Deadline arm(long startNanos, long timeoutNanos, Runnable action) {
    long timeout = Math.max(timeoutNanos, TimeUnit.MILLISECONDS.toNanos(1));
    Deadline deadline = new Deadline(startNanos + timeout, action);
    lane(timeout).insert(deadline);
    return deadline;
  }

  /** Deadlines armed and not yet run nor cancelled (for tests and status). */
  public int pending() {
    int n = 0;
    for (Lane lane : lanes.values()) {
      n += lane.size;
    }
    return n;
  }

  /** Lanes alive (for tests): one per timeout with deadlines pending or a task not yet run. */
  int lanes() {
    return lanes.size();
  }

  private Lane lane(long timeout) {
    Lane lane = lastUsed;
    if (lane == null || lane.timeout != timeout || lane.dropped) {
      lane = lanes.computeIfAbsent(timeout, Lane::new);
      lastUsed = lane;
    }
    return lane;
  }

  /** Deadlines of one timeout, in deadline order; one scheduled task at most. */
  private final class Lane {
    private final long timeout;
    private Deadline head;
    private Deadline tail;
    private int size;
    private ScheduledFuture<?> task;
    private long taskAt;
    private boolean firing;
    private boolean dropped;

    private Lane(long timeout) {
      this.timeout = timeout;
    }

    /** Inserts in deadline order: at the tail, unless {@code d} was counted from further back. */
    void insert(Deadline d) {
      Deadline before = tail;
      while (before != null && before.at - d.at > 0) {
        before = before.prev;
      }
      d.lane = this;
      d.prev = before;
      d.next = before == null ? head : before.next;
      if (d.prev == null) {
        head = d;
      } else {
        d.prev.next = d;
      }
      if (d.next == null) {
        tail = d;
      } else {
        d.next.prev = d;
      }
      size++;
      if (firing) {
        return; // fire() schedules for the head when it is done
      }
      if (task == null) {
        schedule(d.at);
      } else if (d == head && taskAt - d.at > 0) {
        task.cancel(false);
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
      taskAt = at;
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
        dropped = true;
        lanes.remove(timeout);
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
