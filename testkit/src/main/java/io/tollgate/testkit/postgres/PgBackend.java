package io.tollgate.testkit.postgres;

/**
 * One PostgreSQL server as the test kit sees it: where it answers, a superuser login, and — for servers the
 * test kit owns — stop and start. Implementations are called from test threads only and block.
 */
interface PgBackend {

  /** {@code url}, {@code testcontainers} or {@code embedded}. */
  String provider();

  String host();

  int port();

  /** A role allowed to CREATE DATABASE. */
  String user();

  /** Empty when the server trusts local connections. */
  String password();

  /** A database that exists and that the user may connect to, for administration. */
  String adminDatabase();

  /** Where the server keeps its data or runs, for {@code describe()}. */
  String detail();

  /**
   * Stops the server, keeping its data, so {@link #start()} brings it back on the same port.
   *
   * @throws UnsupportedOperationException when the test kit does not own the server
   */
  void stop();

  /** Starts a stopped server again; a no-op when it runs. */
  void start();

  /** Stops the server for good and removes what it left on disk; idempotent. */
  void close();
}
