package io.tollgate.testkit.net;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One direction of a {@link ProxyLink}: chunks read from {@code from} are written to {@code to}, each no earlier
 * than its due time and always in arrival order; a close of {@code from} is passed on the same way, as
 * {@code to.end()}. Reading pauses while {@code to}'s write queue is full.
 *
 * <p>Threads: every method runs on the link's event loop.
 */
final class DelayedPipe {

  private static final long NO_TIMER = -1;

  /** A chunk, or the end of the stream when {@code bytes} is null. */
  private record Pending(Buffer bytes, long dueNanos) {}

  private final Vertx vertx;
  private final NetSocket from;
  private final NetSocket to;
  private final Deque<Pending> queue = new ArrayDeque<>();
  private long timerId = NO_TIMER;
  private boolean ended;

  DelayedPipe(Vertx vertx, NetSocket from, NetSocket to) {
    this.vertx = vertx;
    this.from = from;
    this.to = to;
  }

  /** Sends {@code chunk} after {@code delay}, but never before chunks that arrived earlier. */
  void send(Buffer chunk, Duration delay) {
    enqueue(new Pending(chunk, System.nanoTime() + delay.toNanos()));
    if (to.writeQueueFull()) {
      from.pause();
      to.drainHandler(v -> from.resume());
    }
  }

  /** Ends {@code to} after {@code delay}, once everything queued before was written. */
  void end(Duration delay) {
    if (!ended) {
      ended = true;
      enqueue(new Pending(null, System.nanoTime() + delay.toNanos()));
    }
  }

  /** Drops whatever is queued; used when the link is reset. */
  void discard() {
    queue.clear();
    if (timerId != NO_TIMER) {
      vertx.cancelTimer(timerId);
      timerId = NO_TIMER;
    }
  }

  private void enqueue(Pending pending) {
    queue.addLast(pending);
    if (queue.size() == 1 && timerId == NO_TIMER) {
      flush();
    }
  }

  private void flush() {
    timerId = NO_TIMER;
    long now = System.nanoTime();
    while (!queue.isEmpty() && queue.peekFirst().dueNanos() - now <= 0) {
      Pending head = queue.pollFirst();
      if (head.bytes() == null) {
        to.end();
      } else {
        to.write(head.bytes());
      }
    }
    if (!queue.isEmpty()) {
      long waitMillis = Math.max(1, (queue.peekFirst().dueNanos() - now + 999_999) / 1_000_000);
      timerId = vertx.setTimer(waitMillis, id -> flush());
    }
  }
}
