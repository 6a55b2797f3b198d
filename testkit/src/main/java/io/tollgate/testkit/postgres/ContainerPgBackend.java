package io.tollgate.testkit.postgres;

import io.tollgate.testkit.Infrastructure;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A PostgreSQL container started by Testcontainers; image {@value #DEFAULT_IMAGE} unless
 * {@code TOLLGATE_TEST_PG_IMAGE} names another. Only loaded when a Docker engine answers.
 */
final class ContainerPgBackend implements PgBackend {

  static final String DEFAULT_IMAGE = "postgres:16-alpine";

  private final PostgreSQLContainer<?> container;

  private ContainerPgBackend(PostgreSQLContainer<?> container) {
    this.container = container;
  }

  static ContainerPgBackend launch() {
    String image = Infrastructure.setting("TOLLGATE_TEST_PG_IMAGE").orElse(DEFAULT_IMAGE);
    PostgreSQLContainer<?> container = new PostgreSQLContainer<>(
        DockerImageName.parse(image).asCompatibleSubstituteFor("postgres"))
        // Durability is pointless in a throwaway server and costs time on every commit.
        .withCommand("postgres", "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
    container.start();
    return new ContainerPgBackend(container);
  }

  @Override
  public String provider() {
    return "testcontainers";
  }

  @Override
  public String host() {
    return container.getHost();
  }

  @Override
  public int port() {
    return container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
  }

  @Override
  public String user() {
    return container.getUsername();
  }

  @Override
  public String password() {
    return container.getPassword();
  }

  @Override
  public String adminDatabase() {
    return container.getDatabaseName();
  }

  @Override
  public String detail() {
    return "container " + container.getDockerImageName();
  }

  @Override
  public void stop() {
    throw new UnsupportedOperationException("the shared container is never stopped by tests; "
        + "use TestPostgres.startPrivate() for outage tests");
  }

  @Override
  public void start() {
    // Runs until the JVM exits.
  }

  @Override
  public void close() {
    container.stop();
  }
}
