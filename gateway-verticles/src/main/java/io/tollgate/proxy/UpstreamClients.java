package io.tollgate.proxy;

import io.tollgate.config.ServiceConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The upstream HTTP clients of one ingress instance: one pooled {@link HttpClient} per service, created on first
 * use. Confined to that instance's event loop (a request never changes thread), so no locking.
 *
 * <p>When a new config snapshot changes or removes a service, its old client is shut down gracefully: requests
 * in flight on it finish, new ones use the new client.
 */
public final class UpstreamClients {

  /** How long in-flight requests of a replaced client may take before its connections are closed. */
  private static final long RETIRE_GRACE_SECONDS = 60;

  private final Vertx vertx;
  private final Map<String, Entry> clients = new HashMap<>();

  public UpstreamClients(Vertx vertx) {
    this.vertx = vertx;
  }

  /** The client for {@code service}, created if missing or if the service's definition changed. */
  public HttpClient forService(ServiceConfig service) {
    Entry e = clients.get(service.name());
    if (e != null && e.config == service) {
      return e.client;
    }
    if (e != null && !e.config.equals(service)) {
      e.client.shutdown(RETIRE_GRACE_SECONDS, TimeUnit.SECONDS);
      e = null;
    }
    if (e == null) {
      e = new Entry(service, create(service));
    } else {
      e = new Entry(service, e.client);
    }
    clients.put(service.name(), e);
    return e.client;
  }

  /** Retires clients of services no longer configured. */
  public void retainOnly(java.util.Set<String> serviceNames) {
    clients.entrySet().removeIf(en -> {
      if (!serviceNames.contains(en.getKey())) {
        en.getValue().client.shutdown(RETIRE_GRACE_SECONDS, TimeUnit.SECONDS);
        return true;
      }
      return false;
    });
  }

  /** Closes every client (on undeploy). */
  public void closeAll() {
    clients.values().forEach(e -> e.client.close());
    clients.clear();
  }

  private HttpClient create(ServiceConfig service) {
    HttpClientOptions options = new HttpClientOptions()
        .setKeepAlive(true)
        .setPipelining(false)
        .setTcpNoDelay(true)
        .setDecompressionSupported(false)
        .setConnectTimeout((int) service.timeouts().connect().toMillis())
        // Upstream keep-alive idle: drop pooled connections before typical upstream idle timeouts (60 s).
        .setKeepAliveTimeout(30)
        .setMaxHeaderSize(64 * 1024)
        .setMaxInitialLineLength(16 * 1024)
        .setName("upstream-" + service.name());
    PoolOptions pool = new PoolOptions()
        .setHttp1MaxSize(service.maxConnectionsPerTarget())
        .setMaxWaitQueueSize(-1);
    return vertx.createHttpClient(options, pool);
  }

  private record Entry(ServiceConfig config, HttpClient client) {
  }
}
