package io.tollgate.testkit.peers;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An incremental {@code text/event-stream} parser (HTML Living Standard §9.2.6) for reading streams in tests:
 * feed it chunks as they arrive, in any split, and it returns the events they complete.
 *
 * <pre>{@code
 * SseParser parser = new SseParser();
 * response.handler(chunk -> events.addAll(parser.feed(chunk)));
 * }</pre>
 *
 * <p>Lines end in CRLF, LF or CR; lines starting with {@code :} are comments; unknown fields are ignored; a block
 * with no {@code data:} dispatches nothing. Not thread-safe: feed it from one thread (an event loop's handler).
 */
public final class SseParser {

  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private final StringBuilder data = new StringBuilder();
  private boolean afterCr;
  private boolean hasData;
  private String eventType = "";
  private String lastEventId = "";
  private long retryMillis = -1;

  /** Parses {@code chunk} and returns the events it completed, in order. */
  public List<SseEvent> feed(Buffer chunk) {
    List<SseEvent> events = new ArrayList<>();
    byte[] bytes = chunk.getBytes();
    for (byte b : bytes) {
      if (b == '\n' && afterCr) {
        afterCr = false; // the LF of a CRLF pair: the line already ended at the CR
        continue;
      }
      afterCr = b == '\r';
      if (b == '\n' || b == '\r') {
        processLine(line.toString(StandardCharsets.UTF_8), events);
        line.reset();
      } else {
        line.write(b);
      }
    }
    return events;
  }

  /** The last {@code retry:} value in milliseconds, or -1 when none was received. */
  public long retryMillis() {
    return retryMillis;
  }

  /** The last event ID seen so far — what a reconnecting client sends as {@code Last-Event-ID}. */
  public String lastEventId() {
    return lastEventId;
  }

  private void processLine(String text, List<SseEvent> events) {
    if (text.isEmpty()) {
      dispatch(events);
      return;
    }
    if (text.startsWith(":")) {
      return;
    }
    int colon = text.indexOf(':');
    String field = colon < 0 ? text : text.substring(0, colon);
    String value = colon < 0 ? "" : text.substring(colon + 1);
    if (value.startsWith(" ")) {
      value = value.substring(1);
    }
    switch (field) {
      case "event" -> eventType = value;
      case "data" -> {
        data.append(value).append('\n');
        hasData = true;
      }
      case "id" -> {
        if (value.indexOf('\0') < 0) {
          lastEventId = value;
        }
      }
      case "retry" -> {
        if (!value.isEmpty() && value.chars().allMatch(Character::isDigit)) {
          retryMillis = Long.parseLong(value);
        }
      }
      default -> { }
    }
  }

  private void dispatch(List<SseEvent> events) {
    if (hasData) {
      data.setLength(data.length() - 1);
      events.add(new SseEvent(lastEventId, eventType.isEmpty() ? "message" : eventType, data.toString()));
    }
    data.setLength(0);
    hasData = false;
    eventType = "";
  }
}
