package io.tollgate.config;

import java.util.List;

/**
 * An upstream service ({@code services.<name>:} in YAML).
 *
 * @param name                   the map key; referenced by {@link RouteConfig#service()}
 * @param targets                one or more instances; at least one is required (load balancing across them
 *                               arrives without a config change)
 * @param timeouts               defaults for routes to this service
 * @param maxConnectionsPerTarget HTTP/1.1 connection-pool size per target and per ingress instance; default {@code 64}
 */
public record ServiceConfig(
    String name, List<TargetConfig> targets, TimeoutsConfig timeouts, int maxConnectionsPerTarget) {

  public static final int DEFAULT_MAX_CONNECTIONS_PER_TARGET = 64;

  public ServiceConfig {
    targets = List.copyOf(targets);
  }
}
