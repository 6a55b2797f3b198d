package io.tollgate.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;

/**
 * Whether a Docker engine answers, so that Testcontainers is used only where it can work.
 *
 * <p>Asking Testcontainers directly on a machine without Docker costs time and logs a page of errors, so
 * Testcontainers is asked only when there is a sign of an engine: {@code DOCKER_HOST}, a {@code docker.host}
 * in {@code ~/.testcontainers.properties}, a known socket file, or Windows (named pipes cannot be seen as
 * files). {@code TOLLGATE_TEST_DOCKER=false} turns Docker off for tests. The answer is computed once per JVM.
 */
public final class DockerEngine {

  private static final Logger LOG = LoggerFactory.getLogger(DockerEngine.class);

  private DockerEngine() {}

  /** True when Testcontainers can reach a Docker engine. Thread-safe; the first call may take a second. */
  public static boolean available() {
    return Answer.AVAILABLE;
  }

  private static final class Answer {
    static final boolean AVAILABLE = probe();
  }

  private static boolean probe() {
    if (Infrastructure.setting("TOLLGATE_TEST_DOCKER").map("false"::equalsIgnoreCase).orElse(false)) {
      LOG.debug("Docker turned off by TOLLGATE_TEST_DOCKER=false");
      return false;
    }
    Optional<String> sign = signOfEngine();
    if (sign.isEmpty()) {
      LOG.debug("no Docker engine: no DOCKER_HOST, no docker.host setting, no socket file");
      return false;
    }
    try {
      boolean answered = Testcontainers.ask();
      LOG.info("Docker engine {} ({})", answered ? "answers" : "does not answer", sign.get());
      return answered;
    } catch (LinkageError | RuntimeException e) {
      LOG.info("Docker engine not usable ({}): {}", sign.get(), e.toString());
      return false;
    }
  }

  private static Optional<String> signOfEngine() {
    if (System.getenv("DOCKER_HOST") != null) {
      return Optional.of("DOCKER_HOST");
    }
    if (System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
      return Optional.of("Windows");
    }
    Path home = Path.of(System.getProperty("user.home", "/nonexistent"));
    if (testcontainersDockerHost(home.resolve(".testcontainers.properties"))) {
      return Optional.of("docker.host in ~/.testcontainers.properties");
    }
    String runtimeDir = Optional.ofNullable(System.getenv("XDG_RUNTIME_DIR")).orElse("/nonexistent");
    List<Path> sockets = List.of(
        Path.of("/var/run/docker.sock"),
        Path.of(runtimeDir, "docker.sock"),
        home.resolve(".docker/run/docker.sock"),
        home.resolve(".docker/desktop/docker.sock"),
        home.resolve(".colima/default/docker.sock"),
        home.resolve(".rd/docker.sock"));
    return sockets.stream().filter(Files::exists).findFirst().map(socket -> "socket " + socket);
  }

  private static boolean testcontainersDockerHost(Path file) {
    if (!Files.isReadable(file)) {
      return false;
    }
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    } catch (IOException e) {
      return false;
    }
    return properties.getProperty("docker.host") != null;
  }

  /** Separate class so Testcontainers is loaded only when there is a sign of an engine. */
  private static final class Testcontainers {
    static boolean ask() {
      return DockerClientFactory.instance().isDockerAvailable();
    }
  }
}
