package io.tollgate.loadtests;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The scenario load test (issue 11, item 4): {@code CLIENTS} concurrent clients, each a user with its own token and
 * connection, of the kinds in {@link ScenarioClass} (60 % owned reads through the ownership check, 10 % reads of
 * other users' monitors, 10 % clients faster than their rate limit, 10 % uploads of 64 KiB–1 MiB, 10 % unknown
 * paths). Each client sends one request every {@code PERIOD_MS}, waiting for the previous answer. A request delayed
 * by a slow earlier answer is timed from its <em>intended</em> send time, so the delay counts against it too (no
 * coordinated omission); one sent on time is timed from its actual send (a late timer is the generator's, not the
 * gateway's). The first {@code WARMUP_SECONDS} are discarded.
 *
 * <pre>java -cp tollgate-loadgen.jar io.tollgate.loadtests.Scenario GATEWAY_URL TOKEN_FILE RESOURCES_PER_USER
 *     SECONDS WARMUP_SECONDS CLIENTS PERIOD_MS JSON_OUT [SETUP]</pre>
 *
 * <p>Prints counts, outcomes and latency percentiles per class and writes them as JSON (with {@code SETUP}, a free
 * text describing machine and setup, when given). Exit status 1 when any answer was unexpected (in any class) or the
 * legitimate share's p99 reached {@value #P99_LIMIT_MS} ms.
 */
public final class Scenario {

  static final double P99_LIMIT_MS = 150;
  private static final int MIN_UPLOAD = 64 * 1024;
  private static final int MAX_UPLOAD = 1024 * 1024;

  private Scenario() {
  }

  public static void main(String[] args) throws Exception {
    URI gateway = URI.create(args[0]);
    List<String> tokens = Files.readAllLines(Path.of(args[1]));
    int perUser = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    int warmUp = Integer.parseInt(args[4]);
    int clients = Integer.parseInt(args[5]);
    long periodNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[6]));
    if (tokens.size() < clients) {
      throw new IllegalArgumentException(clients + " clients need as many tokens; " + args[1] + " has "
          + tokens.size());
    }
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    // One connection per client: each has at most one request in flight.
    HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
        .setDefaultHost(gateway.getHost()).setDefaultPort(gateway.getPort()),
        new PoolOptions().setHttp1MaxSize(clients).setMaxWaitQueueSize(-1));
    byte[] random = new byte[MAX_UPLOAD];
    new SplittableRandom(11).nextBytes(random);
    Buffer uploadBytes = Buffer.buffer(random);

    ScenarioTally tally = new ScenarioTally();
    long start = System.nanoTime();
    long measureFrom = start + TimeUnit.SECONDS.toNanos(warmUp);
    long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
    CompletableFuture<Void> done = new CompletableFuture<>();
    int[] running = {clients};
    Shared shared = new Shared(vertx, http, uploadBytes, tally, clients, perUser, measureFrom, end, periodNanos, () -> {
      if (--running[0] == 0) {
        done.complete(null);
      }
    });
    for (int c = 0; c < clients; c++) {
      Client client = new Client(c, ScenarioClass.of(c, clients), tokens.get(c), shared);
      // Spread the clients' first requests over one period.
      vertx.runOnContext(v -> client.schedule(start + periodNanos * client.index / clients));
    }
    done.get(seconds + warmUp + 120L, TimeUnit.SECONDS);
    http.close().await();
    vertx.close().await();

    JsonObject result = tally.toJson().put("seconds", seconds).put("warmUpSeconds", warmUp).put("clients", clients)
        .put("periodMs", periodNanos / 1e6).put("p99LimitMs", P99_LIMIT_MS);
    if (args.length > 8) {
      result.put("setup", args[8]);
    }
    boolean passed = tally.passed(P99_LIMIT_MS);
    result.put("passed", passed);
    System.out.print(tally.table(seconds));
    Files.writeString(Path.of(args[7]), result.encodePrettily() + "\n");
    System.out.println(passed ? "PASS" : "FAIL: " + tally.failureReason(P99_LIMIT_MS));
    System.exit(passed ? 0 : 1);
  }

  /**
   * What every client of one run shares: the event loop and HTTP client, the upload bytes, the tally, the client and
   * per-user resource counts, and the clock (measuring from {@code measureFrom}, last request before {@code end},
   * one request per {@code period}, in nanoseconds); {@code finished} runs once per client when it stops.
   */
  private record Shared(Vertx vertx, HttpClient http, Buffer uploadBytes, ScenarioTally tally, int clients,
      int perUser, long measureFrom, long end, long period, Runnable finished) {
  }

  /** One simulated client: a user with a token, one request in flight at most, one every period. */
  private static final class Client {
    final int index;
    private final ScenarioClass kind;
    private final RequestOptions template;
    private final Shared run;
    private final SplittableRandom random;
    private long sequence;

    Client(int index, ScenarioClass kind, String token, Shared run) {
      this.index = index;
      this.kind = kind;
      this.run = run;
      this.random = new SplittableRandom(index);
      this.template = new RequestOptions().setMethod(kind.method()).putHeader("Authorization", "Bearer " + token)
          .setIdleTimeout(10_000);
    }

    void schedule(long intended) {
      if (intended >= run.end()) {
        run.finished().run();
        return;
      }
      long now = System.nanoTime();
      if (intended - now >= 1_000_000) {
        // The previous answer came in time: timed from when the timer fires, so the timer's own lateness (up to a
        // millisecond or so on a busy generator) is not charged to the gateway.
        run.vertx().setTimer((intended - now) / 1_000_000, id -> send(intended, System.nanoTime()));
      } else {
        // Due (or overdue because an earlier answer was slow): timed from the intended send time, so a slow answer
        // that delays this request counts against it too (wrk2's correction for coordinated omission).
        send(intended, Math.min(intended, now));
      }
    }

    private void send(long due, long from) {
      long n = sequence++;
      int bodySize = kind == ScenarioClass.UPLOAD ? MIN_UPLOAD + random.nextInt(MAX_UPLOAD - MIN_UPLOAD + 1) : 0;
      RequestOptions options = new RequestOptions(template).setURI(path(n));
      run.http().request(options)
          .compose(request -> bodySize > 0
              ? request.putHeader("Content-Type", "application/octet-stream").send(run.uploadBytes().slice(0, bodySize))
              : request.send())
          .compose(response -> response.body()
              .map(body -> new Answer(response.statusCode(), kind.unexpected(response, body, bodySize))))
          .otherwise(failure -> new Answer(0, "transport error: " + failure))
          .onSuccess(answer -> {
            long now = System.nanoTime();
            if (due >= run.measureFrom()) {
              run.tally().record(kind, now - from, answer);
            }
            // The next request keeps its own intended time: after a slow answer the overdue ones go at once.
            schedule(due + run.period());
          });
    }

    private String path(long n) {
      int own = 1 + (int) (n % run.perUser());
      return switch (kind) {
        case READ -> "/monitors/" + BenchKafka.monitorId(index, own);
        case NOT_OWNED -> "/monitors/" + BenchKafka.monitorId((index + 1) % run.clients(), own);
        case LIMITED -> "/reports/" + n;
        case UPLOAD -> "/uploads/" + n;
        case UNKNOWN -> "/nope/" + n;
      };
    }
  }

  /** One answer: its status (0 when the exchange failed) and, when unexpected, why. */
  record Answer(int status, String unexpected) {
  }
}
