package io.tollgate.upstream;

import io.tollgate.config.CircuitBreakerConfig;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker of one target of one service (see {@link CircuitBreakerConfig} for the rules). Shared by every
 * event loop and lock-free: the state is an atomic integer changed by compare-and-set (one winner per transition,
 * which logs and counts it), the window a ring of atomic outcome codes.
 *
 * <p>Contract: the request path asks {@link #tryAcquire} before it sends to the target (false = pick another one),
 * and reports each call's outcome once with {@link #record}. A healthy call costs two atomic operations; the window
 * is only scanned when a bad outcome arrives (only a bad outcome can raise a rate) or the window reaches
 * {@code minimumCalls}. Outcomes reported while
 * the circuit is open are ignored; outcomes reported while half-open are taken as the trial calls' verdicts (a slow
 * call admitted before the circuit opened and ending after {@code openDuration} is judged with them). Half-open
 * trial calls that never report (their client left) are replaced after another {@code openDuration}.
 */
public final class CircuitBreaker {

  /** The states, with the value of the {@code tollgate_circuit_breaker_state} gauge. */
  public enum State {
    CLOSED(0), HALF_OPEN(1), OPEN(2);

    private final int gauge;
    private final String label = name().toLowerCase(Locale.ROOT).replace('_', '-');

    State(int gauge) {
      this.gauge = gauge;
    }

    public int gauge() {
      return gauge;
    }

    /** {@code closed}, {@code half-open}, {@code open}. */
    public String label() {
      return label;
    }
  }

  /** Transitions, per service: {@value}{@code .<state>.<service>}. */
  public static final String TRANSITIONS = "upstream.circuit";

  private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);
  private static final int CALL = 1;
  private static final int FAILED = 2;
  private static final int SLOW = 4;

  private final String service;
  private final String address;
  private final CircuitBreakerConfig config;
  private final LongSupplier nanoClock;
  private final UpstreamHealth node;
  private final long slowNanos;
  private final long openNanos;
  private final AtomicInteger state = new AtomicInteger(State.CLOSED.ordinal());
  private final AtomicIntegerArray outcomes;
  /** The time-based window (calls, failures, slow calls per second); null when the window counts calls. */
  private final SecondSlots seconds;
  private final AtomicLong cursor = new AtomicLong();
  private final AtomicInteger permits = new AtomicInteger();
  private final AtomicInteger trialSuccesses = new AtomicInteger();
  private volatile long openUntilNanos;
  private volatile long halfOpenSinceNanos;

  CircuitBreaker(String service, String address, CircuitBreakerConfig config, UpstreamHealth node) {
    this.service = service;
    this.address = address;
    this.config = config;
    this.node = node;
    this.nanoClock = node::now;
    this.slowNanos = config.slowCallDuration().toNanos();
    this.openNanos = config.openDuration().toNanos();
    this.seconds = config.timeBased()
        ? new SecondSlots((int) config.windowDuration().getSeconds(), 3, nanoClock) : null;
    this.outcomes = new AtomicIntegerArray(seconds == null ? config.window() : 1);
  }

  public CircuitBreakerConfig config() {
    return config;
  }

  public State state() {
    return State.values()[state.get()];
  }

  /** True when a call could be admitted now (a pure read, for the balancer's comparisons). */
  public boolean isAvailable() {
    long now = nanoClock.getAsLong();
    return switch (state()) {
      case CLOSED -> true;
      case OPEN -> now - openUntilNanos >= 0;
      case HALF_OPEN -> permits.get() > 0 || now - halfOpenSinceNanos >= openNanos;
    };
  }

  /** Admits one call, or refuses it while open (or half-open with every trial call taken). */
  public boolean tryAcquire() {
    long now = nanoClock.getAsLong();
    int s = state.get();
    if (s == State.CLOSED.ordinal()) {
      return true;
    }
    if (s == State.OPEN.ordinal()) {
      if (now - openUntilNanos < 0) {
        return false;
      }
      startTrials(now);
      if (transition(State.OPEN, State.HALF_OPEN)) {
        halfOpenSinceNanos = now;
      }
    } else if (permits.get() <= 0 && now - halfOpenSinceNanos >= openNanos) {
      startTrials(now); // the trial calls never reported back: let new ones through
    }
    return state.get() == State.HALF_OPEN.ordinal() && permits.getAndDecrement() > 0;
  }

  /** Milliseconds until an open circuit lets trial calls through; 0 unless open. */
  public long openForMillis() {
    if (state() != State.OPEN) {
      return 0;
    }
    return Math.max(0, (openUntilNanos - nanoClock.getAsLong()) / 1_000_000);
  }

  /**
   * Reports a call's outcome.
   *
   * @param failed         the call failed (connect failure, reset, timeout, 5xx, died mid-body)
   * @param headNanos      time from sending to the response head; -1 when there was none
   */
  public void record(boolean failed, long headNanos) {
    boolean slow = headNanos > slowNanos;
    int s = state.get();
    if (s == State.HALF_OPEN.ordinal()) {
      if (failed || slow) {
        open(State.HALF_OPEN);
      } else if (trialSuccesses.incrementAndGet() >= config.halfOpenCalls() && transition(State.HALF_OPEN,
          State.CLOSED)) {
        clearWindow();
      }
      return;
    }
    if (s != State.CLOSED.ordinal()) {
      return;
    }
    if (seconds != null) {
      seconds.increment(0);
      if (failed) {
        seconds.increment(1);
      }
      if (slow) {
        seconds.increment(2);
      }
      if (tripped()) { // a good call can bring the window to minimumCalls: checked every time (3 × seconds reads)
        open(State.CLOSED);
      }
      return;
    }
    int code = CALL | (failed ? FAILED : 0) | (slow ? SLOW : 0);
    long n = cursor.getAndIncrement();
    outcomes.set((int) (n % outcomes.length()), code);
    // Only a bad outcome raises a rate; a good one matters when it brings the window to the minimum of calls.
    if ((code != CALL || n + 1 == config.minimumCalls()) && tripped()) {
      open(State.CLOSED);
    }
  }

  /** The calls in the window, and how many of them failed and were slow. */
  public record Window(int calls, int failures, int slow) {
  }

  /** What the window holds now (one pass over it; for status pages and the trip decision). */
  public Window window() {
    if (seconds != null) {
      return new Window((int) seconds.sum(0), (int) seconds.sum(1), (int) seconds.sum(2));
    }
    int calls = 0;
    int failures = 0;
    int slow = 0;
    for (int i = 0; i < outcomes.length(); i++) {
      int code = outcomes.get(i);
      calls += code & CALL;
      failures += (code & FAILED) >> 1;
      slow += (code & SLOW) >> 2;
    }
    return new Window(calls, failures, slow);
  }

  /** Whether the window's rates reach a threshold (with at least {@code minimumCalls} known). */
  private boolean tripped() {
    Window w = window();
    return w.calls() >= config.minimumCalls() && (w.failures() * 100 >= config.failureRateThreshold() * w.calls()
        || w.slow() * 100 >= config.slowCallRateThreshold() * w.calls());
  }

  private void clearWindow() {
    if (seconds != null) {
      seconds.clear();
      return;
    }
    for (int i = 0; i < outcomes.length(); i++) {
      outcomes.set(i, 0);
    }
    cursor.set(0);
  }

  private void open(State from) {
    long until = nanoClock.getAsLong() + openNanos;
    openUntilNanos = until; // before the transition: a reader that sees OPEN must see its end
    if (transition(from, State.OPEN)) {
      LOG.warn("service '{}': circuit of target {} opened for {} ms", service, address,
          config.openDuration().toMillis());
    }
  }

  private void startTrials(long now) {
    trialSuccesses.set(0);
    permits.set(config.halfOpenCalls());
    halfOpenSinceNanos = now;
  }

  private boolean transition(State from, State to) {
    if (!state.compareAndSet(from.ordinal(), to.ordinal())) {
      return false;
    }
    node.count(TRANSITIONS + "." + to.label() + "." + service);
    if (to == State.CLOSED) {
      LOG.info("service '{}': circuit of target {} closed", service, address);
    }
    return true;
  }
}
