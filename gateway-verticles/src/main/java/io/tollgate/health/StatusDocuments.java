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

  /** {@code {"status":"READY"}} or {@code {"status":"NOT_READY","checks":{"config":"…","draining":"…"}}}. */
  public static JsonObject readiness(GatewayState state) {
    if (state.isReady()) {
      return new JsonObject().put("status", "READY");
    }
    JsonObject checks = new JsonObject();
    for (Map.Entry<String, String> e : state.failingChecks().entrySet()) {
      checks.put(e.getKey(), e.getValue());
    }
    if (state.isDraining()) {
      checks.put("draining", "the gateway is shutting down");
    }
    return new JsonObject().put("status", "NOT_READY").put("checks", checks);
  }

  public static JsonObject status(GatewayState state, ConfigSnapshot snapshot) {
    return new JsonObject()
        .put("name", "tollgate")
        .put("version", state.version())
        .put("instanceId", state.instanceId())
        .put("startedAt", state.startedAt().toString())
        .put("uptimeMs", state.uptimeMillis())
        .put("configVersion", snapshot == null ? null : snapshot.version())
        .put("ready", state.isReady())
        .put("draining", state.isDraining());
  }
}
