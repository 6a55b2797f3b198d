package io.tollgate.health;

import io.tollgate.sync.ConfigSnapshot;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/** The JSON documents behind the health and status endpoints, shared by the public and management listeners. */
public final class StatusDocuments {

  private StatusDocuments() {
  }

  public static JsonObject liveness(GatewayState state) {
    return new JsonObject().put("status", "UP").put("instanceId", state.instanceId());
  }

  /**
   * {@code {"status":"READY"}} or {@code {"status":"NOT_READY","checks":{"config":"…","draining":"…"}}}; a node with
   * a control plane adds {@code "config": {"source": "control-plane"|"last-known-good", "version": n}}, so a node
   * serving its last-known-good copy says so while it stays ready.
   */
  public static JsonObject readiness(GatewayState state) {
    if (state.isReady()) {
      return withConfigSource(new JsonObject().put("status", "READY"), state);
    }
    JsonObject checks = new JsonObject();
    for (Map.Entry<String, String> e : state.failingChecks().entrySet()) {
      checks.put(e.getKey(), e.getValue());
    }
    if (state.isDraining()) {
      checks.put("draining", "the gateway is shutting down");
    }
    return withConfigSource(new JsonObject().put("status", "NOT_READY").put("checks", checks), state);
  }

  private static JsonObject withConfigSource(JsonObject readiness, GatewayState state) {
    io.tollgate.sync.ControlPlaneState controlPlane = state.controlPlane();
    if (controlPlane.source() == io.tollgate.sync.ControlPlaneState.Source.NONE) {
      return readiness;
    }
    return readiness.put("config", new JsonObject().put("source", controlPlane.toJson().getString("source"))
        .put("version", controlPlane.appliedVersion()));
  }

  /**
   * The status document; {@code detailed} (management listener) adds the Redis endpoint, each instance's Redis
   * view and the concurrency caps' live counts.
   */
  public static JsonObject status(GatewayState state, ConfigSnapshot snapshot, boolean detailed) {
    return new JsonObject()
        .put("name", "tollgate")
        .put("version", state.version())
        .put("instanceId", state.instanceId())
        .put("startedAt", state.startedAt().toString())
        .put("uptimeMs", state.uptimeMillis())
        .put("configVersion", snapshot == null ? null : snapshot.version())
        .put("ready", state.isReady())
        .put("draining", state.isDraining())
        .put("rateLimiting", snapshot == null ? null : state.rateLimits().status(snapshot.config().rateLimiting(),
            limitsByPolicy(snapshot.config()), detailed))
        .put("concurrency", detailed ? state.bulkheads().status() : null)
        .put("ownership", state.ownership().status())
        .put("controlPlane", controlPlane(state, snapshot));
  }

  /** Public detail: where the managed config came from, its version and age; null in file mode. */
  private static JsonObject controlPlane(GatewayState state, ConfigSnapshot snapshot) {
    if (snapshot == null || !snapshot.config().managed()) {
      return null;
    }
    JsonObject full = state.controlPlane().toJson();
    return new JsonObject().put("source", full.getString("source")).put("appliedVersion", full.getValue("appliedVersion"))
        .put("appliedAt", full.getValue("appliedAt")).put("followingTopic", full.getValue("followingTopic"));
  }

  /** Every limit in force, by policy name ({@code route.<id>} for a route's inline list). */
  private static java.util.Map<String, java.util.List<io.tollgate.config.LimitConfig>> limitsByPolicy(
      io.tollgate.config.GatewayConfig config) {
    java.util.Map<String, java.util.List<io.tollgate.config.LimitConfig>> limits =
        new java.util.LinkedHashMap<>(config.rateLimiting().policies());
    for (io.tollgate.config.RouteConfig route : config.routes()) {
      if (route.rateLimit() != null && route.rateLimit().policy() == null) {
        limits.put("route." + route.id(), route.rateLimit().limits());
      }
    }
    return limits;
  }
}
