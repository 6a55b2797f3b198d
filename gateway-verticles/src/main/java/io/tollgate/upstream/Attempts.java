package io.tollgate.upstream;

/**
 * The attempts of one retryable request: which targets were tried, which one holds the request now, whether its body
 * has started to stream, and the total deadline. Confined to the request's event loop.
 *
 * <p>Each attempt holds one in-flight slot of its target ({@link TargetHealth#acquire()}); the slot is given back
 * when a retry is decided or, for the last attempt, when the request finishes ({@link #release()}).
 */
public final class Attempts {

  private final RetryPolicy policy;
  private final ServiceTargets targets;
  private final long deadlineNanos;
  private final boolean bodiless;
  /** Bytes of body to keep for replay (its whole {@code Content-Length}); 0 = none kept. */
  private final int replaySize;
  private io.vertx.core.buffer.Buffer replay;
  private final Runnable release = this::releaseCurrent;
  private int count;
  private long tried;
  private Target current;
  private boolean bodyStarted;
  private Runnable again;
  private long hash = ServiceTargets.NO_HASH;

  Attempts(RetryPolicy policy, ServiceTargets targets, long deadlineNanos, boolean bodiless, int replaySize) {
    this.policy = policy;
    this.targets = targets;
    this.deadlineNanos = deadlineNanos;
    this.bodiless = bodiless;
    this.replaySize = replaySize;
  }

  /** Sets the request's hash key (see {@link ServiceTargets#acquire(long, long)}); before the first attempt. */
  public Attempts hashKey(long requestHash) {
    this.hash = requestHash;
    return this;
  }

  /** True when the body is small enough to be kept while it streams ({@link #keep}). */
  public boolean keepsBody() {
    return replaySize > 0;
  }

  /** Keeps a copy of a body chunk on its way upstream (only while {@link #keepsBody()}). */
  public void keep(io.vertx.core.buffer.Buffer chunk) {
    if (replay == null) {
      replay = io.vertx.core.buffer.Buffer.buffer(replaySize);
    }
    if (replay.length() + chunk.length() <= replaySize) {
      replay.appendBuffer(chunk);
    }
  }

  /** The whole kept body, for a replay; null unless every byte of it was kept. */
  public io.vertx.core.buffer.Buffer keptBody() {
    return replay != null && replay.length() == replaySize ? replay : null;
  }

  /**
   * Picks the next attempt's target — one not tried yet when a healthy one is left — and takes its slot; null when
   * every target's circuit is open.
   */
  public Target next() {
    Target target = targets.acquire(tried, hash);
    if (target == null) {
      return null;
    }
    tried |= target.bit();
    count++;
    current = target;
    target.health().acquire();
    return target;
  }

  /** How the caller makes the next attempt, run by {@link #again()}; set once before the first attempt. */
  public void onRetry(Runnable nextAttempt) {
    this.again = nextAttempt;
  }

  /** Makes the next attempt (after {@link #retryDelayNanos} said yes and the wait is over). */
  public void again() {
    again.run();
  }

  /** Attempts made so far, the current one included. */
  public int count() {
    return count;
  }

  /** Gives back the current attempt's in-flight slot (the same instance every time; runs at most once per pick). */
  public Runnable release() {
    return release;
  }

  private void releaseCurrent() {
    if (current != null) {
      current.health().release().run();
      current = null;
    }
  }

  /** The request body started to stream upstream: from now on only a bodiless or kept body can be replayed. */
  public void bodyStarted() {
    bodyStarted = true;
  }

  /** True once some attempt has streamed (or ended) the client's request. */
  public boolean isBodyStarted() {
    return bodyStarted;
  }

  /** The response timeout of the current attempt: the route's, cut to what is left of the total deadline. */
  public long responseTimeoutNanos(long routeTimeoutNanos) {
    if (count <= 1) {
      return routeTimeoutNanos;
    }
    return Math.max(1_000_000, Math.min(routeTimeoutNanos, deadlineNanos - targets.node().now()));
  }

  /**
   * Decides whether the failed attempt is retried; if so, gives back its slot and returns the wait in nanoseconds
   * before the next one, else -1.
   *
   * @param retryAfter    the failed response's {@code Retry-After}, or null
   * @param requestEnded  whether the client's request has been read to its end
   */
  public long retryDelayNanos(RetryPolicy.Failure failure, String retryAfter, boolean requestEnded) {
    boolean replayable = !bodyStarted || (requestEnded && (bodiless || keptBody() != null));
    long delay = policy.nextDelayNanos(this, failure, retryAfter, replayable);
    if (delay >= 0) {
      releaseCurrent();
    }
    return delay;
  }

  long deadlineNanos() {
    return deadlineNanos;
  }
}
