package io.tollgate.testkit.redis;

/**
 * One Redis server as the test kit sees it: where it answers and — for servers the test kit runs — stop and
 * start. Implementations are called from test threads only and block.
 */
interface RedisBackend {

  /** {@code url}, {@code testcontainers}, {@code redis-server} (from the PATH) or {@code embedded}. */
  String provider();

  RedisEndpoint endpoint();

  /** What runs it and where its log is, for {@code describe()}. */
  String detail();

  /**
   * Stops the server; its data is lost (no persistence).
   *
   * @throws UnsupportedOperationException when the test kit does not own the server
   */
  void stop();

  /** Starts a stopped server again on the same port and waits for PONG; a no-op when it runs. */
  void start();

  /** Stops the server for good and removes what it left on disk; idempotent. */
  void close();
}
