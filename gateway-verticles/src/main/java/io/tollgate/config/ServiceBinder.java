package io.tollgate.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binds {@code services:}: for each service its targets, resolved timeouts, pool size, balancer, outlier detection
 * and retries.
 */
final class ServiceBinder {

  private ServiceBinder() {
  }

  /** Every declared service by name, in declaration order (also those with errors, so routes can refer to them). */
  static Map<String, ServiceConfig> services(Fields root) {
    Map<String, ServiceConfig> services = new LinkedHashMap<>();
    ConfigNode node = root.get("services");
    if (node != null) {
      node.entries().forEach((name, service) -> services.put(name, service(name, service)));
    }
    return services;
  }

  /** The {@code timeouts:} section of a service or route; absent fields are {@code null}. */
  static TimeoutsConfig timeouts(Fields owner) {
    Fields f = owner.section("timeouts", "connect", "response", "total", "streamIdle");
    return new TimeoutsConfig(f.positiveDuration("connect", null), f.positiveDuration("response", null),
        f.positiveDuration("total", null), f.positiveDuration("streamIdle", null));
  }

  private static ServiceConfig service(String name, ConfigNode node) {
    if (!Syntax.isName(name)) {
      node.error("invalid service name (" + Syntax.NAME_RULE + ")");
    }
    Fields f = node.fields("targets", "timeouts", "maxConnectionsPerTarget", "loadBalancer", "outlierDetection",
        "retry", "circuitBreaker", "healthCheck", "discovery");
    DiscoveryConfig discovery = DiscoveryBinder.discovery(f);
    HashOn[] hashOn = new HashOn[1];
    return new ServiceConfig(
        name,
        targets(f, discovery != null || f.get("discovery") != null),
        timeouts(f).orElse(TimeoutsConfig.DEFAULT),
        f.integer("maxConnectionsPerTarget", ServiceConfig.DEFAULT_MAX_CONNECTIONS_PER_TARGET, 1, Integer.MAX_VALUE),
        loadBalancer(f, hashOn),
        outlierDetection(f),
        RetryBinder.retry(f, RetryConfig.NONE),
        circuitBreaker(f),
        healthCheck(f),
        discovery,
        hashOn[0]);
  }

  /** The {@code healthCheck:} section, or null when absent (no active checks). */
  private static HealthCheckConfig healthCheck(Fields owner) {
    if (owner.get("healthCheck") == null) {
      return null;
    }
    Fields f = owner.section("healthCheck", "path", "interval", "timeout", "healthyThreshold", "unhealthyThreshold",
        "expectedStatuses");
    ConfigNode pathNode = f.required("path");
    String path = pathNode == null ? null : pathNode.string();
    if (path != null && (!path.startsWith("/") || !path.matches("[!-~]+"))) {
      pathNode.error("must start with '/' and contain no spaces or control characters");
    }
    Duration interval = f.positiveDuration("interval", HealthCheckConfig.DEFAULT_INTERVAL);
    Duration timeout = f.positiveDuration("timeout", HealthCheckConfig.DEFAULT_TIMEOUT);
    if (timeout.compareTo(interval) > 0) {
      f.error("timeout", "must not be longer than interval");
    }
    java.util.Set<Integer> statuses = new java.util.LinkedHashSet<>();
    ConfigNode list = f.get("expectedStatuses");
    for (ConfigNode item : list == null ? List.<ConfigNode>of() : list.list()) {
      Integer status = item.integer(100, 599);
      if (status != null) {
        statuses.add(status);
      }
    }
    return new HealthCheckConfig(path == null ? "/" : path, interval, timeout,
        f.integer("healthyThreshold", 2, 1, 100), f.integer("unhealthyThreshold", 3, 1, 100), statuses);
  }

  /** The {@code circuitBreaker:} section, or null when absent (no breaker). */
  private static CircuitBreakerConfig circuitBreaker(Fields owner) {
    if (owner.get("circuitBreaker") == null) {
      return null;
    }
    CircuitBreakerConfig d = CircuitBreakerConfig.DEFAULT;
    Fields f = owner.section("circuitBreaker", "failureRateThreshold", "slowCallRateThreshold", "slowCallDuration",
        "window", "windowDuration", "minimumCalls", "openDuration", "halfOpenCalls");
    Duration windowDuration = f.positiveDuration("windowDuration", null);
    if (windowDuration != null && (windowDuration.toMillis() % 1000 != 0 || windowDuration.getSeconds() > 60)) {
      f.error("windowDuration", "must be whole seconds, at most 60s");
      windowDuration = null;
    }
    if (windowDuration != null && f.get("window") != null) {
      f.error("window", "give either window (calls) or windowDuration (time), not both");
    }
    int window = f.integer("window", d.window(), 1, 1000);
    int minimumCalls = f.integer("minimumCalls", Math.min(d.minimumCalls(), window), 1, 10_000);
    if (windowDuration == null && minimumCalls > window) {
      f.error("minimumCalls", "must not exceed window (" + window + ")");
    }
    return new CircuitBreakerConfig(
        f.integer("failureRateThreshold", d.failureRateThreshold(), 1, 100),
        f.integer("slowCallRateThreshold", d.slowCallRateThreshold(), 1, 100),
        f.positiveDuration("slowCallDuration", d.slowCallDuration()),
        window, windowDuration == null ? Math.min(minimumCalls, window) : minimumCalls,
        f.positiveDuration("openDuration", d.openDuration()),
        f.integer("halfOpenCalls", d.halfOpenCalls(), 1, 100),
        windowDuration);
  }

  /**
   * {@code loadBalancer}: a name ({@code least-request}) or a mapping {@code {type, hashOn}}; {@code hashOn} is
   * required with {@code consistent-hash} and refused with any other type. Sets {@code hashOn[0]}.
   */
  private static LoadBalancer loadBalancer(Fields f, HashOn[] hashOn) {
    ConfigNode node = f.get("loadBalancer");
    if (node == null) {
      return LoadBalancer.LEAST_REQUEST;
    }
    if (!node.isMapping()) {
      LoadBalancer lb = balancerType(f, "loadBalancer");
      if (lb == LoadBalancer.CONSISTENT_HASH) {
        f.error("loadBalancer", "consistent-hash needs a key: { type: consistent-hash, hashOn: header:<name> |"
            + " cookie:<name> | ip }");
      }
      return lb;
    }
    Fields lbFields = f.section("loadBalancer", "type", "hashOn");
    LoadBalancer lb = lbFields.required("type") == null ? LoadBalancer.LEAST_REQUEST : balancerType(lbFields, "type");
    ConfigNode key = lb == LoadBalancer.CONSISTENT_HASH ? lbFields.required("hashOn") : lbFields.get("hashOn");
    String text = key == null ? null : key.string();
    if (text == null) {
      return lb;
    }
    if (lb != LoadBalancer.CONSISTENT_HASH) {
      key.error("only with type consistent-hash");
      return lb;
    }
    hashOn[0] = HashOn.parse(text.trim());
    if (hashOn[0] == null) {
      key.error("invalid hash key '" + text + "' (expected header:<name>, cookie:<name> or ip)");
    }
    return lb;
  }

  private static LoadBalancer balancerType(Fields f, String field) {
    String text = f.string(field, null);
    LoadBalancer lb = text == null ? null : LoadBalancer.parse(text);
    if (lb == null) {
      if (text != null) {
        f.error(field, "unknown load balancer '" + text
            + "' (expected one of: least-request, round-robin, weighted, consistent-hash)");
      }
      return LoadBalancer.LEAST_REQUEST;
    }
    return lb;
  }

  private static OutlierDetectionConfig outlierDetection(Fields owner) {
    OutlierDetectionConfig d = OutlierDetectionConfig.DEFAULT;
    Fields f = owner.section("outlierDetection",
        "consecutiveFailures", "baseEjectionTime", "maxEjectionTime", "maxEjectionPercent");
    Duration base = f.positiveDuration("baseEjectionTime", d.baseEjectionTime());
    Duration max = f.positiveDuration("maxEjectionTime", d.maxEjectionTime());
    if (max.compareTo(base) < 0) {
      f.error("maxEjectionTime", "must not be shorter than baseEjectionTime");
    }
    return new OutlierDetectionConfig(
        f.integer("consecutiveFailures", d.consecutiveFailures(), 0, 1_000_000),
        base, max,
        f.integer("maxEjectionPercent", d.maxEjectionPercent(), 0, 100));
  }

  /** The static targets; none (and {@code targets} must be absent) when the service uses {@code discovery}. */
  private static List<TargetConfig> targets(Fields f, boolean discovered) {
    if (discovered) {
      if (f.get("targets") != null) {
        f.error("targets", "give either targets or discovery, not both");
      }
      return List.of();
    }
    ConfigNode node = f.required("targets");
    List<ConfigNode> items = node == null ? List.of() : node.list();
    if (items.isEmpty() && node != null && node.isSequence()) {
      node.error("at least one target is required");
    }
    List<TargetConfig> targets = new ArrayList<>();
    Map<String, String> seen = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      ConfigNode item = items.get(i);
      // Long form {url, weight}; the short form is just the URL (weight 1).
      Fields longForm = item.isMapping() ? item.fields("url", "weight") : null;
      ConfigNode url = longForm != null ? longForm.required("url") : item;
      int weight = longForm != null ? longForm.integer("weight", 1, 1, TargetConfig.MAX_WEIGHT) : 1;
      String text = url == null ? null : url.string();
      if (text == null) {
        continue;
      }
      try {
        TargetConfig target = TargetUrls.parse(text).withWeight(weight);
        // One address, one target: health and in-flight counts are kept per address (host:port).
        String key = target.host().toLowerCase(Locale.ROOT) + ":" + target.port();
        String first = seen.putIfAbsent(key, "targets[" + i + "]");
        if (first != null) {
          url.error("duplicate target address " + key + " (same as " + first + ")");
        }
        targets.add(target);
      } catch (IllegalArgumentException e) {
        url.error(e.getMessage());
      }
    }
    return targets;
  }
}
