package io.tollgate.concurrency;

import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The node's bulkheads by route id. They outlive config snapshots, so a reload keeps counting the requests
 * already in flight (it only resizes). Thread-safe.
 */
public final class Bulkheads {

  private final ConcurrentMap<String, Bulkhead> byRoute = new ConcurrentHashMap<>();

  /** The route's bulkhead, created or resized to {@code max} / {@code queue}. */
  public Bulkhead forRoute(String routeId, int max, int queue) {
    Bulkhead bulkhead = byRoute.computeIfAbsent(routeId, id -> new Bulkhead(id, max, queue));
    bulkhead.resize(max, queue);
    return bulkhead;
  }

  /** Forgets routes that no longer have a cap (their in-flight requests still return their slots). */
  public void retainOnly(Set<String> routeIds) {
    byRoute.keySet().retainAll(routeIds);
  }

  /** Ids of the routes that have a bulkhead right now. */
  public Set<String> routeIds() {
    return Set.copyOf(byRoute.keySet());
  }

  /** The route's bulkhead, or null when the route has no cap (any more). */
  public Bulkhead find(String routeId) {
    return byRoute.get(routeId);
  }

  /** {@code {route: {max, inFlight, queued}}} for status pages. */
  public JsonObject status() {
    JsonObject status = new JsonObject();
    byRoute.forEach((route, b) -> status.put(route,
        new JsonObject().put("max", b.max()).put("inFlight", b.inFlight()).put("queued", b.queued())));
    return status;
  }
}
