package io.tollgate.testkit.vertx;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.LoggerFactory;

/**
 * The logback appender that collects Vert.x's blocked-thread warnings for {@link BlockedThreadGuard}. One
 * instance per JVM, attached to the checker's logger; appends arrive on the checker's timer thread.
 */
final class BlockedThreadLog extends AppenderBase<ILoggingEvent> {

  /** {@code BlockedThreadChecker.LOGGER_NAME} in vertx-core 5.0.x; it kept its Vert.x 4 name. */
  static final String CHECKER_LOGGER = "io.vertx.core.impl.BlockedThreadChecker";

  private static final String APPENDER_NAME = "tollgate-blocked-thread-guard";
  private static final int STACK_FRAMES_SHOWN = 12;
  private static final BlockedThreadLog INSTANCE = new BlockedThreadLog();

  /** A blocked-thread warning: when, what Vert.x said, and the top of the blocked thread's stack if logged. */
  record Report(Instant at, String message) {}

  private final Queue<Report> reports = new ConcurrentLinkedQueue<>();

  private BlockedThreadLog() {
    setName(APPENDER_NAME);
  }

  /**
   * The JVM's instance, attached to the checker logger. Re-attaches if a logback reconfiguration removed it,
   * and lowers the logger's level to WARN if configuration silenced it.
   *
   * @throws IllegalStateException when SLF4J is not bound to logback-classic
   */
  static synchronized BlockedThreadLog attached() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
      throw new IllegalStateException("BlockedThreadGuard reads Vert.x's warnings through logback-classic, but"
          + " SLF4J is bound to " + LoggerFactory.getILoggerFactory().getClass().getName());
    }
    Logger logger = context.getLogger(CHECKER_LOGGER);
    if (!logger.isEnabledFor(Level.WARN)) {
      logger.setLevel(Level.WARN);
    }
    if (logger.getAppender(APPENDER_NAME) == null) {
      INSTANCE.setContext(context);
      INSTANCE.start();
      logger.addAppender(INSTANCE);
    }
    return INSTANCE;
  }

  /** Removes and returns everything reported so far. */
  List<Report> drain() {
    List<Report> drained = new ArrayList<>();
    for (Report report = reports.poll(); report != null; report = reports.poll()) {
      drained.add(report);
    }
    return drained;
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.WARN)) {
      reports.add(new Report(Instant.ofEpochMilli(event.getTimeStamp()),
          event.getFormattedMessage() + stackOf(event.getThrowableProxy())));
    }
  }

  private static String stackOf(IThrowableProxy throwable) {
    if (throwable == null) {
      return "";
    }
    StringBuilder stack = new StringBuilder();
    StackTraceElementProxy[] frames = throwable.getStackTraceElementProxyArray();
    for (int i = 0; i < Math.min(frames.length, STACK_FRAMES_SHOWN); i++) {
      stack.append("\n      ").append(frames[i].getSTEAsString());
    }
    return stack.toString();
  }
}
