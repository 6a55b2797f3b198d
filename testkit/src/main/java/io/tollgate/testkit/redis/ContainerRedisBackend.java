package io.tollgate.testkit.redis;

import io.tollgate.testkit.Infrastructure;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A Redis container started by Testcontainers; image {@value #DEFAULT_IMAGE} unless
 * {@code TOLLGATE_TEST_REDIS_IMAGE} names another. Only loaded when a Docker engine answers.
 */
final class ContainerRedisBackend implements RedisBackend {

  static final String DEFAULT_IMAGE = "redis:7.4-alpine";
  private static final int REDIS_PORT = 6379;

  private final GenericContainer<?> container;

  private ContainerRedisBackend(GenericContainer<?> container) {
    this.container = container;
  }

  static ContainerRedisBackend launch() {
    String image = Infrastructure.setting("TOLLGATE_TEST_REDIS_IMAGE").orElse(DEFAULT_IMAGE);
    GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse(image))
        .withExposedPorts(REDIS_PORT)
        .withCommand("redis-server", "--save", "", "--appendonly", "no");
    container.start();
    return new ContainerRedisBackend(container);
  }

  @Override
  public String provider() {
    return "testcontainers";
  }

  @Override
  public RedisEndpoint endpoint() {
    return RedisEndpoint.local(container.getHost(), container.getMappedPort(REDIS_PORT));
  }

  @Override
  public String detail() {
    return "container " + container.getDockerImageName();
  }

  @Override
  public void stop() {
    throw new UnsupportedOperationException("the shared container is never stopped by tests; "
        + "use TestRedis.startPrivate() for outage tests");
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
