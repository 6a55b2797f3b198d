package io.tollgate.config;

import java.util.List;

/**
 * An upstream service ({@code services.<name>:} in YAML).
 *
 * @param name                   the map key; referenced by {@link RouteConfig#service()}
 * @param targets                one or more instances; at least one is required
 * @param timeouts               defaults for routes to this service
 * @param maxConnectionsPerTarget HTTP/1.1 connection-pool size per target and per ingress instance; default {@code 64}
 * @param loadBalancer           how requests are spread over the targets; default {@link LoadBalancer#LEAST_REQUEST}
 * @param outlierDetection       when failing targets are ejected; default {@link OutlierDetectionConfig#DEFAULT}
 * @param retry                  retries of the service's routes unless a route declares its own; default
 *                               {@link RetryConfig#NONE}
 * @param circuitBreaker         a circuit breaker per target; null (the default) = none
 * @param healthCheck            active health checks of the targets; null (the default) = none
 * @param hashOn                 the key of the {@code consistent-hash} balancer; null for every other balancer
 * @param discovery              DNS or Kubernetes discovery of the targets (then {@code targets} is empty); null (the
 *                               default) =
 *                               the static {@code targets}
 */
public record ServiceConfig(
    String name, List<TargetConfig> targets, TimeoutsConfig timeouts, int maxConnectionsPerTarget,
    LoadBalancer loadBalancer, OutlierDetectionConfig outlierDetection, RetryConfig retry,
    CircuitBreakerConfig circuitBreaker, HealthCheckConfig healthCheck, DiscoveryConfig discovery,
    HashOn hashOn) {

  public static final int DEFAULT_MAX_CONNECTIONS_PER_TARGET = 64;

  public ServiceConfig {
    targets = List.copyOf(targets);
  }

  /** A service with static targets. */
  public ServiceConfig(String name, List<TargetConfig> targets, TimeoutsConfig timeouts, int maxConnectionsPerTarget,
      LoadBalancer loadBalancer, OutlierDetectionConfig outlierDetection, RetryConfig retry,
      CircuitBreakerConfig circuitBreaker, HealthCheckConfig healthCheck) {
    this(name, targets, timeouts, maxConnectionsPerTarget, loadBalancer, outlierDetection, retry, circuitBreaker,
        healthCheck, null, null);
  }

  /** A service without consistent hashing. */
  public ServiceConfig(String name, List<TargetConfig> targets, TimeoutsConfig timeouts, int maxConnectionsPerTarget,
      LoadBalancer loadBalancer, OutlierDetectionConfig outlierDetection, RetryConfig retry,
      CircuitBreakerConfig circuitBreaker, HealthCheckConfig healthCheck, DiscoveryConfig discovery) {
    this(name, targets, timeouts, maxConnectionsPerTarget, loadBalancer, outlierDetection, retry, circuitBreaker,
        healthCheck, discovery, null);
  }

  /** A service without retries. */
  public ServiceConfig(String name, List<TargetConfig> targets, TimeoutsConfig timeouts, int maxConnectionsPerTarget,
      LoadBalancer loadBalancer, OutlierDetectionConfig outlierDetection) {
    this(name, targets, timeouts, maxConnectionsPerTarget, loadBalancer, outlierDetection, RetryConfig.NONE, null, null);
  }

  /** A service with the default load balancer and outlier detection. */
  public ServiceConfig(String name, List<TargetConfig> targets, TimeoutsConfig timeouts, int maxConnectionsPerTarget) {
    this(name, targets, timeouts, maxConnectionsPerTarget, LoadBalancer.LEAST_REQUEST, OutlierDetectionConfig.DEFAULT,
        RetryConfig.NONE, null, null);
  }
}
