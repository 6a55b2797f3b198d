package io.tollgate.websocket;

import io.tollgate.config.WebSocketConfig;
import io.tollgate.pipeline.GatewayFailure;
import io.tollgate.problem.ProblemType;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Open WebSockets per route and per (route, client address) on this node, against the route's
 * {@code maxConnections} and {@code maxConnectionsPerClient}. Thread-safe (every event loop admits into the same
 * counts); a client's entry is removed when its last socket closes, so memory follows open sockets only.
 */
final class ConnectionLimits {

  private final ConcurrentMap<String, Integer> routes = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Integer> clients = new ConcurrentHashMap<>();

  /**
   * Counts one more socket of {@code route} from {@code client}, or refuses it (nothing counted).
   *
   * @return null when admitted (call {@link #release} exactly once when it ends), else the 503 to answer
   */
  GatewayFailure tryAcquire(String route, String client, WebSocketConfig config) {
    if (!increment(routes, route, config.maxConnections())) {
      return refusal("route '" + route + "' has its maximum of " + config.maxConnections() + " open WebSockets");
    }
    if (!increment(clients, key(route, client), config.maxConnectionsPerClient())) {
      decrement(routes, route);
      return refusal("this client has its maximum of " + config.maxConnectionsPerClient()
          + " open WebSockets on route '" + route + "'");
    }
    return null;
  }

  void release(String route, String client) {
    decrement(clients, key(route, client));
    decrement(routes, route);
  }

  /** Open sockets of {@code route} admitted here (for tests and status). */
  int open(String route) {
    return routes.getOrDefault(route, 0);
  }

  private static boolean increment(ConcurrentMap<String, Integer> counts, String key, int limit) {
    boolean[] admitted = {true};
    counts.compute(key, (k, n) -> {
      int next = n == null ? 1 : n + 1;
      if (limit > 0 && next > limit) {
        admitted[0] = false;
        return n;
      }
      return next;
    });
    return admitted[0];
  }

  private static void decrement(ConcurrentMap<String, Integer> counts, String key) {
    counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
  }

  private static String key(String route, String client) {
    return route + ' ' + client;
  }

  private static GatewayFailure refusal(String detail) {
    return GatewayFailure.of(ProblemType.CONCURRENCY_LIMITED, detail).withHeader("Retry-After", "1");
  }
}
