package io.tollgate.loadtests;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Open-loop load at a fixed rate, timed from each request's <em>intended</em> send time (no coordinated omission):
 * request i is due at {@code start + i / rate}; a tick every millisecond sends every request that is due, whether or
 * not earlier ones have answered. A request that has to wait for a free connection (or a server that falls behind)
 * therefore shows up in the latency instead of silently lowering the rate. wrk2 is not available here; this is its
 * idea on a Vert.x client.
 *
 * <pre>java -cp tollgate-loadgen.jar io.tollgate.loadtests.OpenLoop URL RATE SECONDS CONNECTIONS [HEADER=VALUE…]
 * java -cp tollgate-loadgen.jar io.tollgate.loadtests.OpenLoop --plan FILE</pre>
 *
 * After a discarded two-second warm-up at the same rate, prints one JSON object: the rate asked and achieved, counts,
 * and p50/p90/p99/p99.9/max in milliseconds. Runs on
 * one event loop (pin it with taskset); at most about 30,000 requests per second on these machines.
 */
public final class OpenLoop {

  private static final int WARM_UP_SECONDS = 2;

  private OpenLoop() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("--plan")) {
      plan(java.nio.file.Files.readAllLines(java.nio.file.Path.of(args[1])));
      return;
    }
    if (args.length < 4) {
      System.err.println("usage: OpenLoop URL RATE SECONDS CONNECTIONS [Header=value ...] | OpenLoop --plan FILE");
      System.exit(2);
    }
    plan(java.util.List.of("result " + String.join(" ", args)));
  }

  /**
   * Runs jobs one after the other in this JVM (so the generator itself is warm after the first): each line
   * {@code LABEL URL RATE SECONDS CONNECTIONS [Header=value …]}; prints {@code LABEL <json>} per job.
   */
  static void plan(java.util.List<String> jobs) throws Exception {
    Vertx vertx = Vertx.vertx();
    for (String job : jobs) {
      if (job.isBlank()) {
        continue;
      }
      String[] f = job.trim().split(" +");
      URI uri = URI.create(f[1]);
      double rate = Double.parseDouble(f[2]);
      int seconds = Integer.parseInt(f[3]);
      int connections = Integer.parseInt(f[4]);
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
      RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(uri.getHost())
          .setPort(uri.getPort())
          .setURI(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
      for (int i = 5; i < f.length; i++) {
        int eq = f[i].indexOf('=');
        request.putHeader(f[i].substring(0, eq), f[i].substring(eq + 1).replace("%20", " "));
      }
      // Two seconds at the same rate, discarded: connections open and the JIT has seen this path.
      run(vertx, client, request, rate, WARM_UP_SECONDS).get(WARM_UP_SECONDS + 60L, TimeUnit.SECONDS);
      JsonObject result = run(vertx, client, request, rate, seconds).get(seconds + 60L, TimeUnit.SECONDS);
      System.out.println(f[0] + " " + result.encode());
      client.close().await();
    }
    vertx.close().await();
  }

  static CompletableFuture<JsonObject> run(Vertx vertx, HttpClient client, RequestOptions request, double rate,
      int seconds) {
    CompletableFuture<JsonObject> done = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      Histogram latencies = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
      long total = (long) (rate * seconds);
      long start = System.nanoTime();
      long[] sent = {0};
      long[] answered = {0};
      long[] errors = {0};
      Runnable finish = () -> {
        double elapsed = (System.nanoTime() - start) / 1e9;
        done.complete(new JsonObject().put("rate", rate).put("achievedRate", Math.round(sent[0] / Math.max(seconds,
                1e-9))).put("sent", sent[0]).put("ok", answered[0] - errors[0]).put("errors", errors[0])
            .put("elapsedSeconds", elapsed)
            .put("p50", ms(latencies, 50)).put("p90", ms(latencies, 90)).put("p99", ms(latencies, 99))
            .put("p999", ms(latencies, 99.9)).put("max", latencies.getMaxValue() / 1e6));
      };
      vertx.setPeriodic(1, id -> {
        long now = System.nanoTime();
        long due = Math.min(total, (long) ((now - start) / 1e9 * rate));
        while (sent[0] < due) {
          long intended = start + (long) (sent[0] * 1e9 / rate);
          sent[0]++;
          client.request(request).compose(req -> req.send()).compose(resp -> resp.body().map(b -> resp.statusCode()))
              .onComplete(ar -> {
                latencies.recordValue(Math.max(0, System.nanoTime() - intended));
                answered[0]++;
                if (ar.failed() || ar.result() >= 400) {
                  errors[0]++;
                }
                if (answered[0] == total) {
                  finish.run();
                }
              });
        }
        if (sent[0] >= total) {
          vertx.cancelTimer(id);
        }
      });
    });
    return done;
  }

  private static double ms(Histogram h, double percentile) {
    return Math.round(h.getValueAtPercentile(percentile) / 1e3) / 1e3;
  }
}
