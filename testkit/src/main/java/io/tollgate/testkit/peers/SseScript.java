package io.tollgate.testkit.peers;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link SsePeer} writes each event stream. Immutable; streams use the script current when they open.
 *
 * <p>Event {@code n} of a stream is {@code id: n}, {@code event: <eventName>} (omitted when {@code null}) and
 * {@code data: <eventName or "message"> n}. Ids count from 1, or from one past the client's
 * {@code Last-Event-ID}, so the same id always carries the same data.
 *
 * @param interval time from the response head to the first event, and between events; default 100 ms, at
 *     least 1 ms
 * @param eventName the {@code event:} field; default {@code tick}; {@code null} sends none (clients then see
 *     type {@code message})
 * @param stopAfter events per stream after which the peer ends the response cleanly (last chunk); default
 *     0 = never
 * @param retry when set, a {@code retry:} field (whole milliseconds) is sent right after the head, telling
 *     clients how long to wait before reconnecting; default {@code null} = not sent
 */
public record SseScript(Duration interval, String eventName, int stopAfter, Duration retry) {

  public SseScript {
    Objects.requireNonNull(interval, "interval");
    if (interval.toMillis() < 1) {
      throw new IllegalArgumentException("interval must be at least 1 ms: " + interval);
    }
    if (stopAfter < 0) {
      throw new IllegalArgumentException("stopAfter must be >= 0: " + stopAfter);
    }
    if (eventName != null && (eventName.contains("\n") || eventName.contains("\r"))) {
      throw new IllegalArgumentException("eventName must be one line: " + eventName);
    }
    if (retry != null && retry.isNegative()) {
      throw new IllegalArgumentException("retry must not be negative: " + retry);
    }
  }

  /** An event named {@code tick} every 100 ms, forever, no {@code retry:}. */
  public static SseScript defaults() {
    return new SseScript(Duration.ofMillis(100), "tick", 0, null);
  }

  public SseScript withInterval(Duration every) {
    return new SseScript(every, eventName, stopAfter, retry);
  }

  public SseScript withEventName(String name) {
    return new SseScript(interval, name, stopAfter, retry);
  }

  /** Ends each stream cleanly after {@code events} events (0 = never). */
  public SseScript withStopAfter(int events) {
    return new SseScript(interval, eventName, events, retry);
  }

  public SseScript withRetry(Duration reconnectDelay) {
    return new SseScript(interval, eventName, stopAfter, reconnectDelay);
  }

  /** The wire form of event {@code id}, ending with the blank line that dispatches it. */
  String event(long id) {
    String type = eventName == null ? "message" : eventName;
    return "id: " + id + "\n" + (eventName == null ? "" : "event: " + eventName + "\n")
        + "data: " + type + " " + id + "\n\n";
  }
}
