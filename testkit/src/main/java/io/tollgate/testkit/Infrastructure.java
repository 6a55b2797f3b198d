package io.tollgate.testkit;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which servers the test kit started in this JVM, from which provider, and how long each took — so a test
 * run (and CI) can say whether it ran on embedded servers, containers or servers the developer pointed at.
 *
 * <p>Each start is logged at INFO when it happens and appended as one line to a report file: the system
 * property {@value #REPORT_PROPERTY} if set, else {@code target/infrastructure.txt} of the module under test
 * when Maven runs the tests (Surefire and Failsafe set {@code basedir}); {@code .ci/run} prints these files.
 * A summary is logged once when the JVM exits. Thread-safe.
 */
public final class Infrastructure {

  /** System property naming the file that receives one line per server start. */
  public static final String REPORT_PROPERTY = "tollgate.infrastructure.report";

  private static final Logger LOG = LoggerFactory.getLogger(Infrastructure.class);
  private static final List<Provision> PROVISIONS = new CopyOnWriteArrayList<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Infrastructure::logSummary, "tollgate-infrastructure-summary"));
  }

  private Infrastructure() {}

  /**
   * One server start.
   *
   * @param service what was started, e.g. {@code postgres}
   * @param provider how, e.g. {@code embedded}, {@code testcontainers}, {@code url}, {@code redis-server}
   * @param role {@code shared}, {@code private} or {@code restart}
   * @param endpoint where it answers, with its version when known
   * @param startup from asking for the server to its first answer
   */
  public record Provision(String service, String provider, String role, String endpoint, Duration startup) {

    /** One line, e.g. {@code postgres  embedded        shared   1830 ms  PostgreSQL 14.22 on 127.0.0.1:5432}. */
    public String line() {
      return String.format(Locale.ROOT, "%-9s %-14s %-8s %6d ms  %s",
          service, provider, role, startup.toMillis(), endpoint);
    }
  }

  /** Records and logs one start; called by the test kit's server helpers. */
  public static void record(Provision provision) {
    PROVISIONS.add(provision);
    LOG.info("test {}: {} ({}) ready in {} ms: {}", provision.service(), provision.provider(), provision.role(),
        provision.startup().toMillis(), provision.endpoint());
    appendToReport(provision);
  }

  /** Every start recorded so far in this JVM, oldest first. */
  public static List<Provision> provisions() {
    return List.copyOf(PROVISIONS);
  }

  /** The starts so far as lines (see {@link Provision#line()}), or a note that none happened. */
  public static String summary() {
    if (PROVISIONS.isEmpty()) {
      return "no test servers started";
    }
    return PROVISIONS.stream().map(Provision::line).collect(Collectors.joining("\n"));
  }

  /**
   * A setting given as an environment variable such as {@code TOLLGATE_TEST_PG_URL}, overridden by the
   * system property with the same name in lower case and dots ({@code tollgate.test.pg.url}). Blank counts
   * as absent.
   */
  public static Optional<String> setting(String environmentName) {
    String property = environmentName.toLowerCase(Locale.ROOT).replace('_', '.');
    String value = System.getProperty(property);
    if (value == null || value.isBlank()) {
      value = System.getenv(environmentName);
    }
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }

  private static void appendToReport(Provision provision) {
    String report = System.getProperty(REPORT_PROPERTY);
    if (report == null || report.isBlank()) {
      String basedir = System.getProperty("basedir");
      if (basedir == null || basedir.isBlank()) {
        return;
      }
      report = Path.of(basedir, "target", "infrastructure.txt").toString();
    }
    try {
      Path file = Path.of(report);
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      // A report older than this JVM is from an earlier run: start it afresh, so lines never pile up
      // across runs, while JVMs of the same run (started before it was last written) append.
      long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
      boolean stale = Files.exists(file) && Files.getLastModifiedTime(file).toMillis() < jvmStart;
      Files.writeString(file, provision.line() + System.lineSeparator(), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, stale ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.APPEND);
    } catch (IOException e) {
      LOG.warn("cannot append to {} ({}): {}", REPORT_PROPERTY, report, e.toString());
    }
  }

  private static void logSummary() {
    if (!PROVISIONS.isEmpty()) {
      LOG.info("test servers started in this JVM:\n{}", summary());
    }
  }
}
