package io.tollgate.upstream;

import io.tollgate.config.KubernetesDiscoveryConfig;
import io.tollgate.config.TargetConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.parsetools.RecordParser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the EndpointSlices of one Kubernetes Service (a {@link TargetDiscovery.Loop} of {@link UpstreamsVerticle},
 * confined to its event loop), as client-go's reflector does: LIST the slices labelled
 * {@code kubernetes.io/service-name=<service>}, then WATCH from the list's {@code resourceVersion}
 * ({@code watch=1&allowWatchBookmarks=true&timeoutSeconds=300..600}), a stream of JSON lines read as it arrives
 * (never buffered whole) with Vert.x's {@link HttpClient}. ADDED and MODIFIED replace a slice by name, DELETED removes
 * it, BOOKMARK only advances the resourceVersion; after each change the union of the slices is published through the
 * service's {@link DiscoveredTargets} ({@link EndpointSliceTargets}: ready endpoints, else serving ones).
 *
 * <p>Failure semantics: a 410 Gone (an {@code ERROR} event with code 410, or HTTP 410) re-lists; a watch the server
 * ends cleanly (its timeout) is re-opened at once from the last resourceVersion; a dropped watch, a refused
 * connection or any other error is counted and retried after an exponential back-off with full jitter (250 ms up to
 * 30 s), re-watching from the last resourceVersion (or listing, before the first list). The last good set stays
 * until a LIST or event says otherwise. The bearer token is read from {@code tokenFile} (asynchronously) at most
 * every {@link KubernetesDiscoveryConfig#TOKEN_REREAD}, and again after a 401. Counted as
 * {@value TargetDiscovery#KUBERNETES}{@code .<list|relist|event|error>.<service>}.
 */
final class EndpointSliceWatch implements TargetDiscovery.Loop {

  private static final Logger LOG = LoggerFactory.getLogger(EndpointSliceWatch.class);
  private static final Backoff BACKOFF = Backoff.of(Duration.ofMillis(250), Duration.ofSeconds(30));
  private static final long MIN_RETRY_MS = 50;

  private final Vertx vertx;
  private final TargetDiscovery owner;
  private final DiscoveredTargets set;
  private final KubernetesDiscoveryConfig config;
  private final KubernetesWatchState status;
  private final String path;
  private final Map<String, JsonObject> slices = new HashMap<>();
  private final BearerToken token;
  private HttpClient client;
  private String resourceVersion;
  private boolean listed;
  /** Identifies the current request: callbacks of an abandoned one are ignored. */
  private long attempt;
  private int errorsInARow;
  private long timer = -1;
  private HttpClientResponse open;
  private boolean stopped;

  EndpointSliceWatch(Vertx vertx, TargetDiscovery owner, DiscoveredTargets set) {
    this.vertx = vertx;
    this.owner = owner;
    this.set = set;
    this.config = (KubernetesDiscoveryConfig) set.config();
    this.status = set.watch();
    this.path = "/apis/discovery.k8s.io/v1/namespaces/" + config.namespace() + "/endpointslices?labelSelector="
        + URLEncoder.encode("kubernetes.io/service-name=" + config.service(), StandardCharsets.UTF_8);
    this.token = new BearerToken(vertx, config.tokenFile());
  }

  @Override
  public void start() {
    list();
  }

  /** The client, created on first use (a bad {@code caFile} fails the request, shown on the status, and is retried). */
  private HttpClient client() {
    if (client != null) {
      return client;
    }
    HttpClientOptions options = new HttpClientOptions().setName("kubernetes-" + set.service())
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis()));
    if (config.apiServer().startsWith("https:")) {
      options.setSsl(true).setVerifyHost(true);
      if (!config.caFile().isEmpty()) {
        options.setTrustOptions(new PemTrustOptions().addCertPath(config.caFile()));
      }
    }
    client = vertx.createHttpClient(options);
    return client;
  }

  @Override
  public void stop() {
    stopped = true;
    attempt++;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    if (client != null) {
      client.close();
    }
  }

  /** LIST: replaces every slice, then watches from the list's resourceVersion. */
  private void list() {
    long current = ++attempt;
    state(KubernetesWatchState.State.LISTING);
    request(path, config.timeout().toMillis())
        .compose(resp -> resp.statusCode() == 200 ? resp.body()
            : resp.body().transform(ar -> Future.failedFuture(new ApiError(resp.statusCode(), ar.result()))))
        .onComplete(ar -> {
          if (current != attempt) {
            return;
          }
          if (ar.failed()) {
            failed(ar.cause());
            return;
          }
          JsonObject list;
          try {
            list = ar.result().toJsonObject();
          } catch (RuntimeException e) {
            failed(new IllegalStateException("unreadable EndpointSliceList: " + e.getMessage(), e));
            return;
          }
          owner.count(TargetDiscovery.KUBERNETES + (listed ? ".relist." : ".list.") + set.service());
          listed = true;
          slices.clear();
          for (Object item : list.getJsonArray("items", new io.vertx.core.json.JsonArray())) {
            if (item instanceof JsonObject slice) {
              slices.put(name(slice), slice);
            }
          }
          resourceVersion = list.getJsonObject("metadata", new JsonObject()).getString("resourceVersion");
          errorsInARow = 0;
          publish();
          watch();
        });
  }

  /** WATCH from {@link #resourceVersion}: events are applied line by line as they arrive. */
  private void watch() {
    long current = ++attempt;
    state(KubernetesWatchState.State.WATCHING);
    long timeoutSeconds = 300 + ThreadLocalRandom.current().nextLong(300); // spread re-watches, as client-go
    String uri = path + "&watch=1&allowWatchBookmarks=true&timeoutSeconds=" + timeoutSeconds + "&resourceVersion="
        + URLEncoder.encode(resourceVersion == null ? "" : resourceVersion, StandardCharsets.UTF_8);
    request(uri, (timeoutSeconds + 60) * 1000).onComplete(ar -> {
      if (current != attempt) {
        return;
      }
      if (ar.failed()) {
        failed(ar.cause());
        return;
      }
      HttpClientResponse resp = ar.result();
      if (resp.statusCode() != 200) {
        resp.body().onComplete(body -> {
          if (current == attempt) {
            failed(new ApiError(resp.statusCode(), body.result()));
          }
        });
        return;
      }
      open = resp;
      if (errorsInARow > 0) {
        errorsInARow = 0;
        publish(); // back in touch: the status no longer shows the last error
      }
      resp.handler(RecordParser.newDelimited("\n", line -> {
        if (current == attempt && line.length() > 0) {
          event(line);
        }
      }));
      resp.exceptionHandler(e -> {
        if (current == attempt) {
          failed(new IllegalStateException("watch dropped: " + e.getMessage(), e));
        }
      });
      long openedAt = System.nanoTime();
      resp.endHandler(v -> {
        if (current != attempt) {
          return;
        }
        if (System.nanoTime() - openedAt < 1_000_000_000L) {
          failed(new IllegalStateException("watch ended at once")); // never a tight re-watch loop
        } else {
          watch(); // the server's timeoutSeconds: re-watch from where it left off
        }
      });
    });
  }

  /** One watch event (a JSON line). */
  private void event(Buffer line) {
    JsonObject event;
    try {
      event = line.toJsonObject();
    } catch (RuntimeException e) {
      abandon(new IllegalStateException("unreadable watch event: " + e.getMessage(), e));
      return;
    }
    String type = event.getString("type", "");
    JsonObject object = event.getJsonObject("object", new JsonObject());
    if (type.equals("ERROR")) {
      abandon(new ApiError(object.getInteger("code", 500), Buffer.buffer(object.getString("message", ""))));
      return;
    }
    owner.count(TargetDiscovery.KUBERNETES + ".event." + set.service());
    String version = object.getJsonObject("metadata", new JsonObject()).getString("resourceVersion");
    if (version != null) {
      resourceVersion = version;
    }
    errorsInARow = 0;
    switch (type) {
      case "ADDED", "MODIFIED" -> slices.put(name(object), object);
      case "DELETED" -> slices.remove(name(object));
      default -> { // BOOKMARK: only the resourceVersion moves
        state(KubernetesWatchState.State.WATCHING);
        return;
      }
    }
    publish();
  }

  /** Ends the open watch (its connection too) and handles {@code error}: 410 re-lists, others back off. */
  private void abandon(Throwable error) {
    attempt++;
    HttpClientResponse resp = open;
    open = null;
    if (resp != null) {
      resp.request().reset();
    }
    failed(error);
  }

  private void failed(Throwable error) {
    if (stopped) {
      return;
    }
    if (error instanceof ApiError api && api.status() == 410) {
      // The resourceVersion is too old (compacted): list again at once (client-go's reflector does the same).
      owner.count(TargetDiscovery.KUBERNETES + ".error." + set.service());
      LOG.info("service '{}': {} watch expired (410 Gone), listing again", set.service(), config.describe());
      vertx.runOnContext(v -> list());
      return;
    }
    errorsInARow++;
    owner.count(TargetDiscovery.KUBERNETES + ".error." + set.service());
    set.failed(config.apiServer() + ": " + error.getMessage(), Instant.now());
    if (error instanceof ApiError api && api.status() == 401) {
      token.expire(); // rotated since it was read?
    }
    long delay = Math.max(MIN_RETRY_MS,
        BACKOFF.delayNanos(errorsInARow, ThreadLocalRandom.current().nextDouble()) / 1_000_000);
    if (TargetDiscovery.loud(errorsInARow)) {
      LOG.warn("service '{}': {} failed ({} in a row), keeping {} target(s), retrying in {} ms: {}", set.service(),
          config.describe(), errorsInARow, set.targets() == null ? 0 : set.targets().size(), delay,
          error.getMessage());
    }
    state(KubernetesWatchState.State.BACKING_OFF);
    long current = ++attempt;
    timer = vertx.setTimer(delay, id -> {
      timer = -1;
      if (current == attempt) {
        if (listed) {
          watch();
        } else {
          list();
        }
      }
    });
  }

  private Future<HttpClientResponse> request(String uri, long idleTimeoutMs) {
    return token.get().compose(bearer -> {
      RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET)
          .setAbsoluteURI(config.apiServer() + uri)
          .setIdleTimeout(idleTimeoutMs)
          .putHeader("Accept", "application/json")
          .putHeader("User-Agent", "tollgate");
      if (bearer != null) {
        options.putHeader("Authorization", "Bearer " + bearer);
      }
      try {
        return client().request(options).compose(req -> req.send());
      } catch (RuntimeException e) {
        return Future.failedFuture(e); // e.g. an unreadable caFile
      }
    });
  }

  private void publish() {
    List<TargetConfig> before = set.targets();
    EndpointSliceTargets.Result result = EndpointSliceTargets.targets(config, slices.values());
    DiscoveredTargets.Outcome outcome = set.replaced(result.targets(), Instant.now());
    if (!result.skipped().isEmpty() && outcome == DiscoveredTargets.Outcome.CHANGED) {
      LOG.warn("service '{}': {} skipped slices {}", set.service(), config.describe(), result.skipped());
    }
    owner.published(set, outcome, before);
    state(KubernetesWatchState.State.WATCHING);
  }

  private void state(KubernetesWatchState.State state) {
    status.update(state, resourceVersion, slices.size());
  }

  private static String name(JsonObject slice) {
    return slice.getJsonObject("metadata", new JsonObject()).getString("name", "");
  }

  /** An API server's non-2xx answer (or a watch ERROR event's Status), with the status code. */
  private static final class ApiError extends RuntimeException {

    private final int status;

    ApiError(int status, Buffer body) {
      super("HTTP " + status + message(body), null, false, false);
      this.status = status;
    }

    int status() {
      return status;
    }

    private static String message(Buffer body) {
      if (body == null || body.length() == 0) {
        return "";
      }
      try {
        return ": " + body.toJsonObject().getString("message", "");
      } catch (RuntimeException e) {
        return "";
      }
    }
  }
}
