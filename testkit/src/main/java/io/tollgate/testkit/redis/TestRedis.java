package io.tollgate.testkit.redis;

import io.tollgate.testkit.Infrastructure;
import io.vertx.redis.client.RedisOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real Redis server for tests, found or started once per JVM, with a key prefix per test class.
 *
 * <pre>{@code
 * static final TestKeyspace KEYS = TestRedis.forClass("RateLimitIT");
 * Redis client = Redis.createClient(vertx, KEYS.options());
 * client.send(Request.cmd(Command.INCR).arg(KEYS.key("hits")));
 * }</pre>
 *
 * <p>The shared server comes from the first of: {@value #URL_SETTING} ({@code redis://[:password@]host:port[/db]});
 * Testcontainers when a Docker engine answers; {@code redis-server} 6.2+ from the PATH, run by this JVM on a
 * free port; the Redis 7.0 binary shipped in Maven by {@code org.signal:embedded-redis}.
 * {@value #PROVIDER_SETTING} ({@code url}, {@code testcontainers}, {@code path}, {@code embedded}) forces one.
 * When none can be had, every call throws with what to install: tests never skip.
 *
 * <p>Outage tests use {@link #startPrivate()}: always a local process owned by the caller ({@code path} or
 * {@code embedded}), which {@link #stop()} and {@link #restart()} act on. {@link #pause(Duration)} works on
 * any server but stalls every client of it, so prefer a private server for it too.
 *
 * <p>Threads: methods block; call them from test threads, never from an event loop.
 */
public final class TestRedis implements AutoCloseable {

  /** Environment variable (or system property {@code tollgate.test.redis.url}) naming your own server. */
  public static final String URL_SETTING = "TOLLGATE_TEST_REDIS_URL";
  /** Environment variable (or {@code tollgate.test.redis.provider}) forcing a provider. */
  public static final String PROVIDER_SETTING = "TOLLGATE_TEST_REDIS_PROVIDER";

  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(5);

  private static TestRedis shared;
  private static RuntimeException sharedFailure;

  private final RedisBackend backend;
  private final boolean privateInstance;
  private volatile String version;

  private TestRedis(RedisBackend backend, boolean privateInstance) {
    this.backend = backend;
    this.privateInstance = privateInstance;
  }

  /** The JVM-wide server, started on first use and stopped when the JVM exits; never stopped by tests. */
  public static synchronized TestRedis shared() {
    if (shared == null) {
      if (sharedFailure != null) {
        throw new IllegalStateException(sharedFailure.getMessage(), sharedFailure);
      }
      try {
        shared = provision(RedisProviders.real().resolveShared(), "shared");
      } catch (RuntimeException e) {
        sharedFailure = e;
        throw e;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(shared.backend::close, "tollgate-test-redis-stop"));
    }
    return shared;
  }

  /** A fresh key prefix {@code t-<name>-<random>:} on the {@link #shared()} server for one test class. */
  public static TestKeyspace forClass(String name) {
    return shared().keyspace(name);
  }

  /** A server of the caller's own, for outage tests; stopped and deleted by {@link #close()} or at JVM exit. */
  public static TestRedis startPrivate() {
    TestRedis server = provision(RedisProviders.real().resolvePrivate(), "private");
    Runtime.getRuntime().addShutdownHook(new Thread(server.backend::close, "tollgate-test-redis-stop"));
    return server;
  }

  private static TestRedis provision(RedisProviders.Started started, String role) {
    TestRedis server = new TestRedis(started.backend(), role.equals("private"));
    try {
      server.version = server.serverVersion();
    } catch (RuntimeException e) {
      started.backend().close();
      throw new IllegalStateException("Redis (" + started.backend().provider() + ") at " + server.endpointText()
          + " does not answer: " + e.getMessage(), e);
    }
    Infrastructure.record(new Infrastructure.Provision("redis", server.provider(), role,
        "Redis " + server.version + " on " + server.endpointText(),
        Duration.ofNanos(System.nanoTime() - started.startedAtNanos())));
    return server;
  }

  /** A fresh key prefix {@code t-<name>-<random>:} on this server. */
  public TestKeyspace keyspace(String name) {
    return new TestKeyspace(this, prefix(name));
  }

  /** Options for vertx-redis-client; a fresh, mutable object on each call. */
  public RedisOptions options() {
    return new RedisOptions().setConnectionString(connectionString());
  }

  /** {@code redis://[user:password@]host:port/db}. */
  public String connectionString() {
    return backend.endpoint().connectionString();
  }

  /** {@code url}, {@code testcontainers}, {@code redis-server} or {@code embedded}. */
  public String provider() {
    return backend.provider();
  }

  public String host() {
    return backend.endpoint().host();
  }

  public int port() {
    return backend.endpoint().port();
  }

  /** The database index clients select (from the URL; 0 otherwise). */
  public int database() {
    return backend.endpoint().database();
  }

  /** E.g. {@code Redis 7.0.15 (embedded, private) on 127.0.0.1:40123/0; /tmp/.../redis-server, log ...}. */
  public String describe() {
    return "Redis " + version + " (" + provider() + ", " + (privateInstance ? "private" : "shared") + ") on "
        + endpointText() + "; " + backend.detail();
  }

  /**
   * Runs one command on a fresh admin connection (not vertx-redis-client) and returns the reply:
   * {@link String}, {@link Long}, {@code null} or {@link List}. For setting up and checking state in tests.
   *
   * @throws IllegalStateException on an error reply, {@link UncheckedIOException} when the server is away
   */
  public Object call(String... args) {
    try (RespConnection connection = RespConnection.open(backend.endpoint(), ADMIN_TIMEOUT)) {
      return connection.call(args);
    } catch (IOException e) {
      throw new UncheckedIOException("Redis at " + endpointText() + " did not answer " + args[0], e);
    }
  }

  /**
   * Makes the server hold every client's write commands, scripts included, for {@code duration}
   * ({@code CLIENT PAUSE ms WRITE}); returns at once. Held commands run when the pause ends or {@link #unpause()}
   * is called. Not {@code ALL}: that mode would hold the {@code CLIENT UNPAUSE} itself.
   */
  public void pause(Duration duration) {
    call("CLIENT", "PAUSE", Long.toString(duration.toMillis()), "WRITE");
  }

  /** Ends a {@link #pause(Duration)} early ({@code CLIENT UNPAUSE}). */
  public void unpause() {
    call("CLIENT", "UNPAUSE");
  }

  /**
   * Deletes every key starting with {@code prefix} (SCAN + UNLINK; glob characters in the prefix are matched
   * literally) and returns how many.
   *
   * @throws IllegalArgumentException for an empty prefix, which would flush everything
   */
  public long flushPrefix(String prefix) {
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException("refusing to flush an empty prefix (every key)");
    }
    String match = prefix.replaceAll("([*?\\[\\]\\\\])", "\\\\$1") + "*";
    long deleted = 0;
    try (RespConnection connection = RespConnection.open(backend.endpoint(), ADMIN_TIMEOUT)) {
      String cursor = "0";
      do {
        List<?> reply = (List<?>) connection.call("SCAN", cursor, "MATCH", match, "COUNT", "1000");
        cursor = (String) reply.get(0);
        List<?> keys = (List<?>) reply.get(1);
        if (!keys.isEmpty()) {
          String[] unlink = new String[keys.size() + 1];
          unlink[0] = "UNLINK";
          for (int i = 0; i < keys.size(); i++) {
            unlink[i + 1] = (String) keys.get(i);
          }
          deleted += (Long) connection.call(unlink);
        }
      } while (!cursor.equals("0"));
    } catch (IOException e) {
      throw new UncheckedIOException("Redis at " + endpointText() + " did not answer SCAN", e);
    }
    return deleted;
  }

  /**
   * Stops a private server (SIGTERM); clients see refused connections until {@link #start()}.
   *
   * @throws UnsupportedOperationException on the shared server
   */
  public void stop() {
    requirePrivate();
    backend.stop();
  }

  /** Starts a stopped private server on the same port, empty (no persistence); waits for PONG. */
  public void start() {
    requirePrivate();
    long started = System.nanoTime();
    backend.start();
    Infrastructure.record(new Infrastructure.Provision("redis", provider(), "restart",
        "Redis " + version + " on " + endpointText(), Duration.ofNanos(System.nanoTime() - started)));
  }

  /** {@link #stop()} then {@link #start()}: a crash-and-recover, losing every key. */
  public void restart() {
    stop();
    start();
  }

  /** Stops a private server for good and deletes its files; a no-op on the shared server. */
  @Override
  public void close() {
    if (privateInstance) {
      backend.close();
    }
  }

  @Override
  public String toString() {
    return describe();
  }

  static String prefix(String name) {
    String readable = name.replaceAll("[^A-Za-z0-9._-]+", "-");
    byte[] random = new byte[4];
    ThreadLocalRandom.current().nextBytes(random);
    return "t-" + readable + "-" + HexFormat.of().formatHex(random) + ":";
  }

  private String serverVersion() {
    String info = (String) call("INFO", "server");
    return info.lines().filter(line -> line.startsWith("redis_version:")).findFirst()
        .map(line -> line.substring("redis_version:".length()).strip()).orElse("?");
  }

  private String endpointText() {
    return host() + ":" + port() + "/" + database();
  }

  private void requirePrivate() {
    if (!privateInstance) {
      throw new UnsupportedOperationException("the shared Redis is never stopped or restarted by tests; "
          + "use TestRedis.startPrivate() for outage tests");
    }
  }
}
