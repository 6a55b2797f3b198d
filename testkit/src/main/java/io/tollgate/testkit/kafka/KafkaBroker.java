package io.tollgate.testkit.kafka;

import io.tollgate.testkit.process.JavaProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Kafka broker for integration tests: single-node KRaft (broker and controller in one process) in a
 * child JVM on {@code 127.0.0.1}, so the broker's kafka 4.x jars never meet the kafka-clients 3.7.1 that
 * vertx-kafka-client needs on the test classpath.
 *
 * <pre>{@code
 * KafkaBroker broker = KafkaBroker.shared();             // started once per test JVM, on first use
 * try (KafkaTopics topics = KafkaTopics.on(broker)) {
 *   String topic = KafkaTopics.uniqueName("routes");     // the broker is shared: use your own topics
 *   topics.createCompacted(topic, 3);
 *   ...
 * }
 *
 * try (KafkaBroker broker = KafkaBroker.startPrivate()) { // your own, for outage tests
 *   broker.stop();                                       // SIGTERM; clients see connection refused
 *   broker.restart();                                    // same address, same data
 * }
 * }</pre>
 *
 * <p>Start-up (format + ready) takes ≈2–4 s on 2 cores and is logged. Ready means the port accepts and an
 * {@link Admin#describeCluster()} succeeds. If the broker cannot start, the call throws
 * {@link IllegalStateException} saying what is missing or what the broker printed — tests never skip. Topics
 * must be created explicitly ({@code auto.create.topics.enable=false}).
 *
 * <p>Threads: all methods may be called from any non-event-loop thread; they block, up to
 * {@value #START_TIMEOUT_SECONDS} s for a start.
 */
public final class KafkaBroker implements AutoCloseable {

  /** Names a running broker ({@code host:port}) that {@link #shared()} uses instead of starting one. */
  public static final String BOOTSTRAP_ENV = "TOLLGATE_TEST_KAFKA_BOOTSTRAP";

  private static final Logger LOG = LoggerFactory.getLogger(KafkaBroker.class);
  private static final long START_TIMEOUT_SECONDS = 60;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration CLUSTER_CHECK_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration PORT_POLL_INTERVAL = Duration.ofMillis(50);
  private static final int TAIL_LINES = 40;
  /**
   * ≈370 MB resident. C1 only and the serial collector: start-up is ≈1 s faster on 2 cores, and a test
   * broker never runs long enough for C2 to pay off.
   */
  private static final List<String> JVM_ARGS =
      List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private static KafkaBroker shared;
  private static RuntimeException sharedFailure;

  private final String description;
  private final boolean isShared;
  private final String bootstrapServers;
  /** Null for a broker named by {@link #BOOTSTRAP_ENV}; likewise {@link #classpath} and {@link #cleanupHook}. */
  private final BrokerFiles files;
  private final String classpath;
  private final Thread cleanupHook;
  private JavaProcess process;
  private boolean closed;

  private KafkaBroker(String description, boolean isShared, String bootstrapServers, BrokerFiles files,
      String classpath) {
    this.description = description;
    this.isShared = isShared;
    this.bootstrapServers = bootstrapServers;
    this.files = files;
    this.classpath = classpath;
    this.cleanupHook = files == null ? null : new Thread(this::destroy, "kafka-broker-cleanup");
  }

  /**
   * The broker shared by every test in this JVM: the one {@link #BOOTSTRAP_ENV} names if set, else a child
   * broker started on first call (free ports, a temporary data directory deleted when the JVM exits). Tests
   * must not stop it ({@link #stop()} and {@link #restart()} throw; {@link #close()} does nothing) and should
   * use topic names of their own ({@link KafkaTopics#uniqueName(String)}).
   *
   * @throws IllegalStateException when the broker cannot be started or reached; later calls throw the same
   *     at once instead of trying again
   */
  public static synchronized KafkaBroker shared() {
    if (shared != null) {
      return shared;
    }
    if (sharedFailure != null) {
      throw new IllegalStateException(sharedFailure.getMessage(), sharedFailure);
    }
    try {
      String external = System.getenv(BOOTSTRAP_ENV);
      shared = external == null || external.isBlank() ? launch("shared", true) : external(external.strip());
      return shared;
    } catch (RuntimeException e) {
      sharedFailure = e;
      throw e;
    }
  }

  /**
   * A broker of the caller's own (never {@link #BOOTSTRAP_ENV}'s), for tests that stop and restart it. Close it;
   * closing kills it and deletes its data (also done when the JVM exits).
   *
   * @throws IllegalStateException when the broker cannot be started
   */
  public static KafkaBroker startPrivate() {
    return launch("private", false);
  }

  /** {@code host:port} for {@code bootstrap.servers}; the same across {@link #restart()}. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** Whether the broker process runs; a broker named by {@link #BOOTSTRAP_ENV} is assumed to. */
  public synchronized boolean isRunning() {
    return files == null || (process != null && process.isAlive());
  }

  /**
   * Stops the broker with SIGTERM (a clean shutdown, as an operator would) and waits for it to exit; clients
   * then get "connection refused". Does nothing when it is already stopped.
   *
   * @throws UnsupportedOperationException for the shared broker
   * @throws AssertionError when it does not exit within 30 s
   */
  public synchronized void stop() {
    ownedByCaller("stop");
    if (process == null || !process.isAlive()) {
      return;
    }
    long started = System.nanoTime();
    process.sigterm();
    int status = process.awaitExit(STOP_TIMEOUT);
    LOG.info("Kafka broker ({}) at {} stopped in {} ms, exit status {}", description, bootstrapServers,
        elapsedMillis(started), status);
  }

  /**
   * Stops the broker if it runs, then starts it again on the same ports with the same data directory, so
   * topics, records and committed offsets survive and clients reconnect to the same address. Returns once it
   * is ready.
   *
   * @throws UnsupportedOperationException for the shared broker
   * @throws IllegalStateException when it does not come back
   */
  public synchronized void restart() {
    ownedByCaller("restart");
    if (closed) {
      throw new IllegalStateException("this broker was closed");
    }
    stop();
    startProcess();
  }

  /** Kills a private broker and deletes its data; does nothing for the shared one. Idempotent. */
  @Override
  public void close() {
    if (isShared || files == null) {
      return;
    }
    destroy();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupHook);
    } catch (IllegalStateException jvmIsExiting) {
      // The hook runs (or ran) anyway.
    }
  }

  @Override
  public String toString() {
    return "KafkaBroker[" + description + ", " + bootstrapServers + "]";
  }

  private static KafkaBroker launch(String description, boolean isShared) {
    String classpath = BrokerClasspath.resolve(KafkaBroker.class.getClassLoader());
    for (int attempt = 1; ; attempt++) {
      BrokerFiles files = BrokerFiles.create(temporaryDirectory());
      KafkaBroker broker = new KafkaBroker(description, isShared, files.bootstrapServers(), files, classpath);
      Runtime.getRuntime().addShutdownHook(broker.cleanupHook);
      try {
        broker.startProcess();
        return broker;
      } catch (RuntimeException e) {
        boolean portTaken = broker.process != null
            && broker.process.lines().stream().anyMatch(line -> line.contains("Address already in use"));
        broker.close();
        // FreePorts is racy: another process may bind the port first. New ports once, then give up.
        if (!portTaken || attempt == 2) {
          throw e;
        }
        LOG.warn("Kafka broker ({}): a port was taken before it could bind; trying other ports", description);
      }
    }
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("tollgate-kafka-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a data directory for the Kafka broker", e);
    }
  }

  private static KafkaBroker external(String bootstrapServers) {
    long started = System.nanoTime();
    try {
      describeCluster(bootstrapServers);
    } catch (RuntimeException e) {
      throw new IllegalStateException(BOOTSTRAP_ENV + "=" + bootstrapServers + " but no Kafka broker answered"
          + " there within " + CLUSTER_CHECK_TIMEOUT.toSeconds() + " s (" + e.getMessage() + "). Start that"
          + " broker, or unset " + BOOTSTRAP_ENV + " to let the tests start their own.", e);
    }
    LOG.info("Using the Kafka broker at {} from {} (answered in {} ms)", bootstrapServers, BOOTSTRAP_ENV,
        elapsedMillis(started));
    return new KafkaBroker("external", true, bootstrapServers, null, null);
  }

  private synchronized void startProcess() {
    long started = System.nanoTime();
    process = JavaProcess.mainClass(classpath, BrokerClasspath.MAIN_CLASS,
        Stream.concat(JVM_ARGS.stream(), Stream.of("-Dlog4j2.configurationFile=" + files.logConfig())).toList(),
        List.of(files.serverProperties().toString(), files.clusterId()), Map.of()).start();
    awaitPort(started);
    try {
      describeCluster(bootstrapServers);
    } catch (RuntimeException e) {
      throw notReady("its port accepts connections but describeCluster failed: " + e.getMessage(), e);
    }
    LOG.info("Kafka broker ({}) ready at {} in {} ms (format + start; pid {}, data {}, log {})", description,
        bootstrapServers, elapsedMillis(started), process.pid(), files.dataDirectory(), process.logFile());
  }

  private void awaitPort(long started) {
    long deadline = started + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
    while (!accepts(files.port())) {
      if (!process.isAlive()) {
        int status = process.awaitExit(Duration.ofSeconds(5));
        throw notReady("it exited with status " + status + " before it was ready", null);
      }
      if (System.nanoTime() > deadline) {
        throw notReady("its port did not accept connections within " + START_TIMEOUT_SECONDS + " s", null);
      }
      try {
        Thread.sleep(PORT_POLL_INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the Kafka broker", e);
      }
    }
  }

  private IllegalStateException notReady(String what, Throwable cause) {
    List<String> lines = process.lines();
    String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    return new IllegalStateException("The Kafka broker (" + description + ", " + bootstrapServers
        + ") did not start: " + what + ". Command: " + process.command() + "\nFull output: " + process.logFile()
        + "\nLast lines:\n" + tail, cause);
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void describeCluster(String bootstrapServers) {
    Map<String, Object> config = Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) CLUSTER_CHECK_TIMEOUT.toMillis(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CLUSTER_CHECK_TIMEOUT.toMillis());
    Admin admin = Admin.create(config);
    try {
      if (admin.describeCluster().nodes().get(CLUSTER_CHECK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).isEmpty()) {
        throw new IllegalStateException("describeCluster returned no nodes");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking " + bootstrapServers + " to describe its cluster",
          e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(e.toString(), e);
    } finally {
      // Without a deadline, close() waits for a describeCluster that timed out on our side.
      admin.close(Duration.ofSeconds(1));
    }
  }

  private void ownedByCaller(String action) {
    if (isShared) {
      throw new UnsupportedOperationException("Tests must not " + action + " the shared Kafka broker (" + this
          + "); use KafkaBroker.startPrivate() for outage tests");
    }
  }

  /** Kills the process (SIGKILL: its data is deleted anyway) and deletes the directory. */
  private synchronized void destroy() {
    if (closed) {
      return;
    }
    closed = true;
    if (process != null) {
      process.close();
    }
    deleteRecursively(files.directory());
  }

  private static void deleteRecursively(Path directory) {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      LOG.warn("could not delete the Kafka broker's directory {}: {}", directory, e.toString());
    }
  }

  private static long elapsedMillis(long startedNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }
}
