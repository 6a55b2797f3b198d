package io.tollgate.testkit.kubernetes;

import io.tollgate.testkit.vertx.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PfxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real HTTP/1.1 peer speaking the Kubernetes API's list/watch protocol for {@code discovery.k8s.io/v1}
 * EndpointSlices, over TLS with a self-signed certificate ({@link SelfSignedCert}), on {@code 127.0.0.1}. Not a
 * mock: clients talk to it over sockets exactly as to kube-apiserver. The behaviours it follows (see the Kubernetes
 * "API Concepts" page, "Efficient detection of changes" and "Watch bookmarks"):
 * <ul>
 *   <li>{@code GET /apis/discovery.k8s.io/v1/namespaces/{ns}/endpointslices?labelSelector=kubernetes.io/service-name=X}
 *       answers an {@code EndpointSliceList} whose {@code metadata.resourceVersion} is the store's current one; items
 *       carry their own {@code metadata.resourceVersion}. Only equality selectors on that label are understood.</li>
 *   <li>The same path with {@code watch=1} (or {@code true}) streams events as JSON objects, one per line
 *       ({@code {"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":{…}}}), chunked, {@code Content-Type:
 *       application/json}, the head sent at once: first every change after {@code resourceVersion} (without it: an ADDED per current slice),
 *       then changes as they happen. A DELETED event carries the slice's last state with the deletion's version.</li>
 *   <li>{@code allowWatchBookmarks=true}: {@link #bookmark()} sends {@code BOOKMARK} events whose object holds only
 *       {@code kind}, {@code apiVersion} and {@code metadata.resourceVersion}.</li>
 *   <li>A watch from a resourceVersion older than the compacted history ({@link #compact()}) gets HTTP 200 and one
 *       {@code ERROR} event with a {@code Status} of code 410, reason {@code Expired} ("too old resource version"),
 *       then the stream ends — as the watch cache answers. {@link #compact()} also ends open watches that way.</li>
 *   <li>{@code timeoutSeconds} ends a watch cleanly after that time (a client re-watches from its last version).</li>
 *   <li>A missing or wrong bearer token gets HTTP 401 with a {@code Status} body (reason {@code Unauthorized}).</li>
 * </ul>
 * The test changes the store at any time ({@link #put}, {@link #delete}), drops watches ({@link #dropWatches}), or
 * stops and restarts the server on the same port ({@link #stop}, {@link #restart}). Thread-safe: the store is
 * guarded by this object, and events are written under it (so in version order).
 */
public final class KubeApiServer implements AutoCloseable {

  private static final Pattern PATH =
      Pattern.compile("/apis/discovery\\.k8s\\.io/v1/namespaces/([a-z0-9-]+)/endpointslices");
  private static final String LABEL = "kubernetes.io/service-name";
  private static final Duration LIFECYCLE_TIMEOUT = Duration.ofSeconds(10);

  /** One change: its resourceVersion, type and the object as of that version. */
  private record Event(long version, String namespace, String type, JsonObject object) {
  }

  /** An open watch. */
  private record Watch(HttpServerResponse response, String namespace, String service) {
  }

  private final Vertx vertx;
  private final SelfSignedCert cert;
  private volatile String token;
  private HttpServer server;
  private int port;
  private long version = 100;
  private long compactedBefore;
  private final Map<String, JsonObject> slices = new TreeMap<>();
  private final List<Event> history = new ArrayList<>();
  private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
  private final AtomicInteger lists = new AtomicInteger();
  private final AtomicInteger watchRequests = new AtomicInteger();
  private final AtomicInteger unauthorized = new AtomicInteger();

  private KubeApiServer(Vertx vertx, SelfSignedCert cert, String token) {
    this.vertx = vertx;
    this.cert = cert;
    this.token = token;
  }

  /**
   * Starts a server on {@code 127.0.0.1} and a free port, serving TLS with {@code cert}; requests must carry
   * {@code Authorization: Bearer <token>}.
   *
   * @throws IllegalStateException on an event-loop thread
   */
  public static KubeApiServer start(Vertx vertx, SelfSignedCert cert, String token) {
    KubeApiServer api = new KubeApiServer(vertx, cert, token);
    api.listen(0);
    return api;
  }

  private void listen(int onPort) {
    HttpServerOptions options = new HttpServerOptions().setSsl(true)
        .setKeyCertOptions(new PfxOptions().setPath(cert.keyStore().toString()).setPassword(cert.password()));
    server = vertx.createHttpServer(options).requestHandler(this::handle);
    server = Await.result(server.listen(onPort, "127.0.0.1"), LIFECYCLE_TIMEOUT);
    port = server.actualPort();
  }

  /** {@code https://127.0.0.1:<port>}, as a client's {@code apiServer}. */
  public String url() {
    return "https://127.0.0.1:" + port;
  }

  /** Changes the accepted token (a rotation). */
  public void token(String accepted) {
    token = accepted;
  }

  /** Creates or replaces the slice named by its {@code metadata.name} in {@code namespace}: ADDED or MODIFIED. */
  public synchronized long put(String namespace, JsonObject slice) {
    JsonObject object = slice.copy();
    String name = object.getJsonObject("metadata").getString("name");
    String type = slices.containsKey(namespace + "/" + name) ? "MODIFIED" : "ADDED";
    long v = ++version;
    object.getJsonObject("metadata").put("namespace", namespace).put("resourceVersion", String.valueOf(v));
    slices.put(namespace + "/" + name, object);
    record(new Event(v, namespace, type, object));
    return v;
  }

  /** Deletes a slice: DELETED. */
  public synchronized void delete(String namespace, String name) {
    JsonObject object = slices.remove(namespace + "/" + name);
    if (object == null) {
      throw new IllegalArgumentException("no slice " + namespace + "/" + name);
    }
    long v = ++version;
    JsonObject last = object.copy();
    last.getJsonObject("metadata").put("resourceVersion", String.valueOf(v));
    record(new Event(v, namespace, "DELETED", last));
  }

  /** Sends a BOOKMARK with the current resourceVersion to every open watch. */
  public synchronized void bookmark() {
    JsonObject object = new JsonObject().put("kind", "EndpointSlice").put("apiVersion", "discovery.k8s.io/v1")
        .put("metadata", new JsonObject().put("resourceVersion", String.valueOf(version)));
    watches.forEach(w -> send(w, "BOOKMARK", object));
  }

  /**
   * Compacts the history: every version up to now is forgotten, so a watch from one of them gets 410 Gone; open
   * watches get the 410 ERROR event and are ended (a client must list again).
   */
  public synchronized void compact() {
    compactedBefore = version + 1;
    history.clear();
    for (Watch w : watches) {
      send(w, "ERROR", gone(version));
      end(w);
    }
  }

  /** Closes every open watch connection abruptly (no final chunk), as a lost connection. */
  public void dropWatches() {
    for (Watch w : watches) {
      watches.remove(w);
      w.response().reset();
    }
  }

  /** Stops listening and closes every connection (the API server is down). */
  public void stop() {
    watches.clear();
    Await.result(server.close(), LIFECYCLE_TIMEOUT);
  }

  /** Listens again on the same port. */
  public void restart() {
    listen(port);
  }

  /** The store's current resourceVersion (that of the last change). */
  public synchronized String resourceVersion() {
    return String.valueOf(version);
  }

  /** LIST requests answered so far (authorised ones). */
  public int lists() {
    return lists.get();
  }

  /** WATCH requests answered so far (authorised ones). */
  public int watchRequests() {
    return watchRequests.get();
  }

  /** Requests refused with 401. */
  public int unauthorized() {
    return unauthorized.get();
  }

  /** Watches open right now. */
  public int openWatches() {
    return watches.size();
  }

  @Override
  public void close() {
    stop();
  }

  private void handle(HttpServerRequest request) {
    Matcher m = PATH.matcher(request.path());
    if (!("Bearer " + token).equals(request.getHeader("Authorization"))) {
      unauthorized.incrementAndGet();
      status(request.response(), 401, "Unauthorized", "Unauthorized");
      return;
    }
    if (!m.matches() || request.method() != io.vertx.core.http.HttpMethod.GET) {
      status(request.response(), 404, "NotFound", "the server could not find the requested resource");
      return;
    }
    String namespace = m.group(1);
    String selector = request.getParam("labelSelector");
    String service = null;
    if (selector != null) {
      String[] kv = selector.split("==?", 2);
      if (kv.length != 2 || !kv[0].equals(LABEL)) {
        status(request.response(), 400, "BadRequest", "unsupported label selector " + selector);
        return;
      }
      service = kv[1];
    }
    String watch = request.getParam("watch");
    if ("1".equals(watch) || "true".equals(watch)) {
      watch(request, namespace, service);
    } else {
      list(request, namespace, service);
    }
  }

  private synchronized void list(HttpServerRequest request, String namespace, String service) {
    lists.incrementAndGet();
    JsonArray items = new JsonArray();
    slices.values().stream().filter(s -> matches(s, namespace, service)).forEach(s -> {
      JsonObject item = s.copy();
      item.remove("kind"); // list items carry no kind/apiVersion, the list does
      item.remove("apiVersion");
      items.add(item);
    });
    request.response().putHeader("Content-Type", "application/json").end(new JsonObject()
        .put("kind", "EndpointSliceList").put("apiVersion", "discovery.k8s.io/v1")
        .put("metadata", new JsonObject().put("resourceVersion", String.valueOf(version)))
        .put("items", items).encode());
  }

  private synchronized void watch(HttpServerRequest request, String namespace, String service) {
    watchRequests.incrementAndGet();
    HttpServerResponse response = request.response().setChunked(true).putHeader("Content-Type", "application/json");
    Watch w = new Watch(response, namespace, service);
    String from = request.getParam("resourceVersion");
    long since;
    try {
      since = from == null || from.isEmpty() ? -1 : Long.parseLong(from);
    } catch (NumberFormatException e) {
      status(response, 400, "BadRequest", "invalid resourceVersion " + from);
      return;
    }
    if (since >= 0 && since + 1 < compactedBefore && since != version) {
      send(w, "ERROR", gone(since));
      response.end();
      return;
    }
    if (since < 0) {
      slices.values().stream().filter(s -> matches(s, namespace, service)).forEach(s -> send(w, "ADDED", s));
    } else {
      history.stream().filter(e -> e.version() > since).forEach(e -> deliver(w, e));
    }
    if (!response.headWritten()) {
      response.writeHead(); // as kube-apiserver, flush the head at once: a quiet watch is still an open one
    }
    watches.add(w);
    response.closeHandler(x -> watches.remove(w));
    String timeout = request.getParam("timeoutSeconds");
    if (timeout != null && timeout.matches("[0-9]{1,6}") && Long.parseLong(timeout) > 0) {
      vertx.setTimer(Long.parseLong(timeout) * 1000, id -> {
        synchronized (this) {
          end(w);
        }
      });
    }
  }

  private void record(Event event) {
    history.add(event);
    watches.forEach(w -> deliver(w, event));
  }

  private void deliver(Watch w, Event e) {
    if (matches(e.object(), e.namespace(), w.namespace(), w.service())) {
      send(w, e.type(), e.object());
    }
  }

  private static boolean matches(JsonObject slice, String namespace, String service) {
    return matches(slice, slice.getJsonObject("metadata").getString("namespace"), namespace, service);
  }

  private static boolean matches(JsonObject slice, String sliceNamespace, String namespace, String service) {
    JsonObject labels = slice.getJsonObject("metadata").getJsonObject("labels", new JsonObject());
    return namespace.equals(sliceNamespace) && (service == null || service.equals(labels.getString(LABEL)));
  }

  private void send(Watch w, String type, JsonObject object) {
    String line = new JsonObject().put("type", type).put("object", object).encode() + "\n";
    // Called under this object's lock, so writes reach the connection in version order.
    if (!w.response().ended() && !w.response().closed()) {
      w.response().write(line);
    }
  }

  private void end(Watch w) {
    watches.remove(w);
    if (!w.response().ended() && !w.response().closed()) {
      w.response().end();
    }
  }

  private static JsonObject gone(long since) {
    return new JsonObject().put("kind", "Status").put("apiVersion", "v1").put("metadata", new JsonObject())
        .put("status", "Failure").put("message", "too old resource version: " + since)
        .put("reason", "Expired").put("code", 410);
  }

  private static void status(HttpServerResponse response, int code, String reason, String message) {
    response.setStatusCode(code).putHeader("Content-Type", "application/json").end(new JsonObject()
        .put("kind", "Status").put("apiVersion", "v1").put("metadata", new JsonObject()).put("status", "Failure")
        .put("message", message).put("reason", reason).put("code", code).encode());
  }
}
