package io.tollgate.observability;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.tollgate.testkit.vertx.Await;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/** The access-log lines ({@code tollgate.access}) written while capturing, as JSON; close to stop capturing. */
public final class AccessLines implements AutoCloseable {

  private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  private AccessLines() {
  }

  public static AccessLines capture() {
    AccessLines capture = new AccessLines();
    capture.lines.start();
    logger().addAppender(capture.lines);
    return capture;
  }

  /** The line of request {@code requestId}, waiting up to 5 s for it (the appender is asynchronous). */
  public JsonObject lineFor(String requestId) {
    Await.until(() -> find(requestId).isPresent(), Duration.ofSeconds(5),
        () -> "no access log line for request " + requestId + " in " + lines.list);
    return find(requestId).orElseThrow();
  }

  private Optional<JsonObject> find(String requestId) {
    return Stream.of(lines.list.toArray(ILoggingEvent[]::new))
        .map(event -> new JsonObject(event.getFormattedMessage()))
        .filter(json -> requestId.equals(json.getString("requestId")))
        .findFirst();
  }

  @Override
  public void close() {
    logger().detachAppender(lines);
  }

  private static Logger logger() {
    return (Logger) LoggerFactory.getLogger("tollgate.access");
  }
}
