package io.tollgate.testkit.postgres;

/** A server someone else runs, given by {@code TOLLGATE_TEST_PG_URL}; never stopped by the test kit. */
final class ExternalPgBackend implements PgBackend {

  private final PgUrl url;

  ExternalPgBackend(PgUrl url) {
    this.url = url;
  }

  @Override
  public String provider() {
    return "url";
  }

  @Override
  public String host() {
    return url.host();
  }

  @Override
  public int port() {
    return url.port();
  }

  @Override
  public String user() {
    return url.user();
  }

  @Override
  public String password() {
    return url.password();
  }

  @Override
  public String adminDatabase() {
    return url.database();
  }

  @Override
  public String detail() {
    return "from TOLLGATE_TEST_PG_URL";
  }

  @Override
  public void stop() {
    throw new UnsupportedOperationException("the server from TOLLGATE_TEST_PG_URL is not ours to stop; "
        + "use TestPostgres.startPrivate() for outage tests");
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
