package io.tollgate.ratelimit;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Gcra} evaluated atomically in Redis: one {@code EVALSHA} per request covering all of its limits
 * ({@link GcraScript}), with Redis {@code TIME} as the clock, so every gateway node shares exact limits.
 *
 * <p><b>Threads.</b> One instance per ingress instance (event loop), created with that instance's
 * {@link Context}; it owns one {@link RedisConnection} bound to that context, so requests and replies never
 * change thread. Call {@link #acquire} on that context: the future completes there. A call from elsewhere is
 * accepted but first hops onto the context (tests; never on the hot path).
 *
 * <p><b>Keys.</b> The Redis key of a limit is {@code keyPrefix + limit.key()}. All keys of one request must hash
 * to one Redis Cluster slot, so they must carry the same hash tag (the first {@code {...}} with something
 * inside, per the Cluster spec); otherwise the future fails with {@link IllegalArgumentException}. The prefix
 * must not contain a brace, so the tag always comes from the caller's key (e.g. {@code {route-7}:user:alice}).
 *
 * <p><b>Failure.</b> A call not answered within {@link Settings#budget()} (default 10 ms), a connection failure
 * or a Redis error reply fails the future with {@link RateLimiterUnavailable}; a call that timed out may still
 * run later in Redis (and consume its permits). {@link #recycle()} drops a stalled connection so that the
 * commands queued on it are discarded instead. After a connection failure the next call reconnects, so service
 * resumes by itself once Redis is back; at most one connection attempt is in flight, and after a failed one calls
 * fail at once for 100 ms (no connect storm while Redis is down). After a Redis restart the
 * script cache is empty: {@code NOSCRIPT} is answered with one {@code EVAL}, which also caches the script.
 */
public final class GcraRedisRateLimiter implements RateLimiter {

  private static final Logger LOG = LoggerFactory.getLogger(GcraRedisRateLimiter.class);
  /** After a failed connect, calls fail at once for this long instead of each trying to connect again. */
  static final long RECONNECT_BACKOFF_MS = 100;
  private static final Duration RECONNECT_BACKOFF = Duration.ofMillis(RECONNECT_BACKOFF_MS);

  /**
   * @param budget    how long one call may take before it counts as Redis unavailable; default 10 ms
   * @param keyPrefix prepended to every limit key, no braces; default {@code tollgate:rl:}
   */
  public record Settings(Duration budget, String keyPrefix) {

    public static final Duration DEFAULT_BUDGET = Duration.ofMillis(10);
    public static final String DEFAULT_KEY_PREFIX = "tollgate:rl:";

    public Settings {
      Objects.requireNonNull(budget, "budget");
      Objects.requireNonNull(keyPrefix, "keyPrefix");
      if (budget.toMillis() < 1) {
        throw new IllegalArgumentException("budget must be at least 1 ms, got " + budget);
      }
      if (keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
        throw new IllegalArgumentException("keyPrefix must not contain braces (the hash tag belongs to the key): "
            + keyPrefix);
      }
    }

    public static Settings defaults() {
      return new Settings(DEFAULT_BUDGET, DEFAULT_KEY_PREFIX);
    }

    public Settings withBudget(Duration newBudget) {
      return new Settings(newBudget, keyPrefix);
    }

    public Settings withKeyPrefix(String newPrefix) {
      return new Settings(budget, newPrefix);
    }
  }

  private final Context context;
  private final RedisOptions options;
  private Redis client;
  private RoundTrips roundTrips = RoundTrips.IGNORE;
  private final Settings settings;
  private RedisConnection connection;
  private List<Call> pending = new ArrayList<>();
  private Future<RedisConnection> connecting;
  private boolean closed;
  private long nextConnectAtNanos = System.nanoTime();

  /**
   * Creates the limiter and starts connecting on {@code context}.
   *
   * @param context the owning ingress instance's context (an event loop)
   * @param options where Redis is; {@code maxWaitingHandlers} bounds the calls in flight on the connection
   */
  public GcraRedisRateLimiter(Context context, RedisOptions options, Settings settings) {
    this.context = Objects.requireNonNull(context, "context");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.options = Objects.requireNonNull(options, "options");
    this.client = Redis.createClient(context.owner(), options);
    context.runOnContext(v -> connection());
  }

  /**
   * Told the outcome of every round trip to Redis — one per batch, whatever the number of requests in it — on the
   * limiter's context. Health and latency belong to round trips: a batch of twenty that ran over budget is one
   * slow answer from Redis, not twenty.
   */
  public interface RoundTrips {

    RoundTrips IGNORE = new RoundTrips() {
      @Override
      public void answered(long nanos) {
      }

      @Override
      public void failed(RateLimiterUnavailable why, long nanos) {
      }
    };

    /** Redis answered the batch within the budget. */
    void answered(long nanos);

    /** The batch ran over budget, or the connection or Redis failed it. */
    void failed(RateLimiterUnavailable why, long nanos);
  }

  /** Sets who is told about round trips (replaces the previous observer). Call on the context. */
  public void observe(RoundTrips observer) {
    this.roundTrips = Objects.requireNonNull(observer, "observer");
  }

  @Override
  public Future<Decision> acquire(List<RateLimit> limits) {
    if (Vertx.currentContext() != context) {
      Promise<Decision> hopped = Promise.promise();
      context.runOnContext(v -> acquireOnContext(limits).onComplete(hopped));
      return hopped.future();
    }
    return acquireOnContext(limits);
  }

  /** Closes the connection; later calls fail with {@link RateLimiterUnavailable}. Call on the context. */
  public Future<Void> close() {
    closed = true;
    connection = null;
    return client.close();
  }

  private Future<Decision> acquireOnContext(List<RateLimit> limits) {
    List<String> keys;
    try {
      Gcra.validate(limits);
      keys = redisKeys(limits);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Call call = new Call(limits, keys, Promise.promise());
    pending.add(call);
    if (pending.size() == 1) {
      // Coalesce the decisions of one event-loop turn into one write (and one read) on the connection.
      context.runOnContext(v -> flush());
    }
    return call.decision().future();
  }

  /** Sends every pending call as one pipelined batch, under one budget timer. */
  private void flush() {
    List<Call> batch = pending;
    pending = new ArrayList<>(Math.max(4, batch.size()));
    long started = System.nanoTime();
    boolean[] reported = {false};
    long timer = context.owner().setTimer(settings.budget().toMillis(), id -> {
      RateLimiterUnavailable late = RateLimiterUnavailable.overBudget(settings.budget());
      reported[0] = true;
      roundTrips.failed(late, System.nanoTime() - started);
      batch.forEach(call -> call.decision().tryFail(late));
    });
    connection().compose(conn -> send(conn, batch)).onComplete(result -> {
      context.owner().cancelTimer(timer);
      if (!reported[0]) {
        if (result.succeeded()) {
          roundTrips.answered(System.nanoTime() - started);
        } else {
          roundTrips.failed(unavailable(result.cause()), System.nanoTime() - started);
        }
      }
      for (int i = 0; i < batch.size(); i++) {
        Call call = batch.get(i);
        if (result.failed()) {
          call.decision().tryFail(unavailable(result.cause()));
          continue;
        }
        try {
          call.decision().tryComplete(decode(call.limits(), result.result().get(i)));
        } catch (RuntimeException malformed) {
          call.decision().tryFail(unavailable(malformed));
        }
      }
    });
  }

  /**
   * EVALSHA for every call, pipelined. If the server lacks the script (restart, flush), every EVALSHA of the batch
   * fails alike and the batch is sent again as EVALs, which also cache the script. (Only a script flush racing the
   * batch itself could fail part of it; those that ran would then count twice.)
   */
  private Future<List<Response>> send(RedisConnection conn, List<Call> batch) {
    if (batch.size() == 1) {
      Call call = batch.get(0);
      return evaluate(conn, call.keys(), call.limits(), "").map(List::of);
    }
    return conn.batch(scripts(Command.EVALSHA, GcraScript.SHA1, batch)).recover(failure -> isNoScript(failure)
        ? conn.batch(scripts(Command.EVAL, GcraScript.SOURCE, batch)) : Future.failedFuture(failure));
  }

  private static List<Request> scripts(Command command, String script, List<Call> batch) {
    List<Request> requests = new ArrayList<>(batch.size());
    for (Call call : batch) {
      requests.add(script(command, script, call.keys(), call.limits(), ""));
    }
    return requests;
  }

  /** A single call's error starts with NOSCRIPT; a batch's lists each command's error ({@code ERR [i] NOSCRIPT …}). */
  private static boolean isNoScript(Throwable failure) {
    return failure.getMessage() != null && failure.getMessage().contains("NOSCRIPT");
  }

  /** One request's limits, their Redis keys and its pending decision. */
  private record Call(List<RateLimit> limits, List<String> keys, Promise<Decision> decision) {
  }

  /** Runs the script on the current connection with a fixed "now" (microseconds); for parity tests only. */
  Future<Decision> acquireAt(List<RateLimit> limits, long nowMicros) {
    Gcra.validate(limits);
    List<String> keys = redisKeys(limits);
    return Future.<Decision>future(p -> context.runOnContext(v -> connection()
        .compose(conn -> evaluate(conn, keys, limits, Long.toString(nowMicros)))
        .map(reply -> decode(limits, reply))
        .onComplete(p)));
  }

  private Future<Response> evaluate(RedisConnection conn, List<String> keys, List<RateLimit> limits, String now) {
    return conn.send(script(Command.EVALSHA, GcraScript.SHA1, keys, limits, now)).recover(failure -> {
      if (isNoScript(failure)) {
        // First call on this server, or it restarted: EVAL runs the script and caches it for later EVALSHAs.
        return conn.send(script(Command.EVAL, GcraScript.SOURCE, keys, limits, now));
      }
      return Future.failedFuture(failure);
    });
  }

  private static Request script(Command command, String script, List<String> keys, List<RateLimit> limits,
      String now) {
    Request request = Request.cmd(command).arg(script).arg(keys.size());
    keys.forEach(request::arg);
    request.arg(now);
    for (RateLimit limit : limits) {
      request.arg(limit.emissionMicros()).arg(limit.toleranceMicros()).arg(limit.enforced() ? "1" : "0");
    }
    return request;
  }

  private static Decision decode(List<RateLimit> limits, Response reply) {
    List<Gcra.Verdict> verdicts = new ArrayList<>(limits.size());
    for (int i = 0; i < limits.size(); i++) {
      int at = 1 + 4 * i;
      verdicts.add(new Gcra.Verdict(reply.get(at).toLong() == 1, reply.get(at + 1).toLong(),
          reply.get(at + 2).toLong(), reply.get(at + 3).toLong(), 0));
    }
    return Gcra.decide(limits, verdicts);
  }

  private List<String> redisKeys(List<RateLimit> limits) {
    List<String> keys = new ArrayList<>(limits.size());
    String tag = null;
    for (RateLimit limit : limits) {
      String key = settings.keyPrefix() + limit.key();
      String keyTag = hashTag(key);
      if (tag != null && !tag.equals(keyTag)) {
        throw new IllegalArgumentException("the limits of one request must share a Redis hash tag ({...}): "
            + keys.get(0) + " and " + key + " do not");
      }
      tag = keyTag;
      keys.add(key);
    }
    return keys;
  }

  /** The part of {@code key} Redis Cluster hashes: the first {@code {...}} if non-empty, else the whole key. */
  static String hashTag(String key) {
    int open = key.indexOf('{');
    if (open >= 0) {
      int close = key.indexOf('}', open + 1);
      if (close > open + 1) {
        return key.substring(open + 1, close);
      }
    }
    return key;
  }

  private Future<RedisConnection> connection() {
    if (closed) {
      return Future.failedFuture(new RateLimiterUnavailable("the rate limiter is closed"));
    }
    if (connection != null) {
      return Future.succeededFuture(connection);
    }
    if (connecting == null) {
      if (System.nanoTime() - nextConnectAtNanos < 0) {
        return Future.failedFuture(new RateLimiterUnavailable("Redis is unreachable; next connection attempt in "
            + (nextConnectAtNanos - System.nanoTime()) / 1_000_000 + " ms"));
      }
      Redis from = client;
      Future<RedisConnection> attempt = from.connect();
      connecting = attempt;
      attempt.onComplete(result -> {
        if (connecting == attempt) {
          connecting = null;
        }
        if (result.succeeded() && (closed || from != client)) {
          result.result().close(); // the limiter was closed or recycled meanwhile
        } else if (result.succeeded()) {
          RedisConnection conn = result.result();
          conn.exceptionHandler(failure -> forget(conn, failure));
          conn.endHandler(v -> forget(conn, null));
          connection = conn;
          // Cache the script now, so the first decision is a plain EVALSHA (no NOSCRIPT round trip).
          conn.send(Request.cmd(Command.SCRIPT).arg("LOAD").arg(GcraScript.SOURCE))
              .onFailure(e -> LOG.debug("SCRIPT LOAD failed; the first call will EVAL instead: {}", e.toString()));
          LOG.info("Rate limiter connected to Redis");
        } else if (result.failed()) {
          nextConnectAtNanos = System.nanoTime() + RECONNECT_BACKOFF.toNanos();
          LOG.debug("Rate limiter could not connect to Redis: {}", result.cause().toString());
        }
      });
    }
    return connecting;
  }

  /**
   * Drops the connection (Redis is stalled or paused), so the calls queued on it are not executed later (Redis
   * discards a closed client's unread commands); the next call connects afresh. Call on the context.
   */
  void recycle() {
    if (closed) {
      return;
    }
    // Closing a pooled connection only returns its socket to the client's pool, still holding the queued commands;
    // closing the client closes its sockets. So the client itself is replaced.
    Redis stale = client;
    client = Redis.createClient(context.owner(), options);
    connection = null;
    connecting = null;
    LOG.debug("Rate limiter dropped its Redis connection (stalled)");
    stale.close();
  }

  private void forget(RedisConnection conn, Throwable failure) {
    if (connection == conn) {
      connection = null;
      LOG.warn("Rate limiter lost its Redis connection{}; reconnecting on the next call",
          failure == null ? "" : ": " + failure);
      conn.close();
    }
  }

  private static RateLimiterUnavailable unavailable(Throwable cause) {
    if (cause instanceof RateLimiterUnavailable unavailable) {
      return unavailable;
    }
    return new RateLimiterUnavailable("Redis failed the rate-limit call: " + cause.getMessage(), cause);
  }
}
