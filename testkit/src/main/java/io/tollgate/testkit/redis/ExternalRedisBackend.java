package io.tollgate.testkit.redis;

/** A server someone else runs, given by {@code TOLLGATE_TEST_REDIS_URL}; never stopped by the test kit. */
final class ExternalRedisBackend implements RedisBackend {

  private final RedisEndpoint endpoint;

  ExternalRedisBackend(RedisEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public String provider() {
    return "url";
  }

  @Override
  public RedisEndpoint endpoint() {
    return endpoint;
  }

  @Override
  public String detail() {
    return "from TOLLGATE_TEST_REDIS_URL";
  }

  @Override
  public void stop() {
    throw new UnsupportedOperationException("the server from TOLLGATE_TEST_REDIS_URL is not ours to stop; "
        + "use TestRedis.startPrivate() for outage tests");
  }

  @Override
  public void start() {
    // Always running as far as the test kit is concerned.
  }

  @Override
  public void close() {
    // Not ours.
  }
}
