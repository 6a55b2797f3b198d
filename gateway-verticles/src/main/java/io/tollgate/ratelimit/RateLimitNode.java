package io.tollgate.ratelimit;

import io.tollgate.config.LimitConfig;
import io.tollgate.config.RateLimitingConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rate-limiting state shared by every ingress instance of one gateway node: the in-process limiter (standalone
 * mode and the {@code local} fallback; one per node, so the node's share is exact across event loops) and the
 * Redis health of each instance, summarised for {@code /api/gateway/status}. Thread-safe.
 */
public final class RateLimitNode {

  private static final Logger LOG = LoggerFactory.getLogger(RateLimitNode.class);

  private final GcraLocalRateLimiter local = new GcraLocalRateLimiter();
  private final List<RedisHealth> instances = new CopyOnWriteArrayList<>();

  /** The node's in-process limiter. */
  public GcraLocalRateLimiter local() {
    return local;
  }

  void register(RedisHealth health) {
    instances.add(health);
  }

  void unregister(RedisHealth health) {
    instances.remove(health);
  }

  /** Called by an instance when its Redis view changed; logs when the node's summary changes. */
  void changed(RedisHealth health, boolean upNow) {
    long down = instances.stream().filter(h -> !h.isUp()).count();
    if (!upNow && down == 1) {
      LOG.warn("Redis at {} is unavailable for rate limiting ({}); limits follow their failMode until it is back",
          health.endpoint(), health.lastError());
    } else if (upNow && down == 0) {
      LOG.info("Redis at {} is back; rate limits are shared again", health.endpoint());
    }
  }

  /** {@code redis} (all instances reach Redis), {@code degraded} (some or all do not), or {@code standalone}. */
  public String backendState(RateLimitingConfig config) {
    if (config.redis() == null) {
      return "standalone";
    }
    return instances.stream().allMatch(RedisHealth::isUp) ? "redis" : "degraded";
  }

  /**
   * The rate-limiting part of the status document: the store, its health, and for every policy and limit the
   * mode in force right now ({@code redis}, {@code local}, {@code fail-open} or {@code fail-closed}).
   *
   * @param detailed add the Redis endpoint and each ingress instance's view (management listener only)
   */
  public JsonObject status(RateLimitingConfig config, Map<String, List<LimitConfig>> limitsByPolicy,
      boolean detailed) {
    String state = backendState(config);
    JsonObject status = new JsonObject().put("backend", state);
    if (config.redis() != null && detailed) {
      JsonArray views = new JsonArray();
      for (RedisHealth h : instances) {
        views.add(new JsonObject().put("up", h.isUp()).put("since", h.since().toString())
            .put("lastError", h.lastError()));
      }
      status.put("redis", new JsonObject().put("endpoint", config.redis().endpoint())
          .put("budgetMs", config.redis().budget().toMillis()).put("instances", views));
      status.put("expectedNodes", config.expectedNodes());
    }
    JsonArray limits = new JsonArray();
    limitsByPolicy.forEach((policy, list) -> list.forEach(limit -> limits.add(new JsonObject()
        .put("policy", policy)
        .put("name", limit.name())
        .put("enforce", limit.enforce())
        .put("failMode", limit.failMode().text())
        .put("mode", switch (state) {
          case "standalone" -> "local";
          case "redis" -> "redis";
          default -> limit.failMode().text();
        }))));
    return status.put("limits", limits);
  }
}
