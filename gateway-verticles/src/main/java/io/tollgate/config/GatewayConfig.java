package io.tollgate.config;

import java.util.List;
import java.util.Map;

/**
 * The whole, validated gateway configuration: what {@link ConfigLoader} produces from YAML.
 *
 * <p>Immutable. Every instance that exists has passed validation: service names referenced by routes exist,
 * route ids are unique, URLs are absolute {@code http}/{@code https}, durations and sizes are non-negative.
 *
 * @param listener   the public data-plane listener
 * @param management the management listener (detailed status, later metrics and the Admin API)
 * @param shutdown   graceful-shutdown behaviour on SIGTERM
 * @param services   upstream services by name, in declaration order
 * @param routes     routes in declaration order (declaration order breaks specificity ties)
 * @param auth       token issuers and API keys; {@link AuthConfig#NONE} when absent
 * @param rateLimiting rate-limit store and named policies; {@link RateLimitingConfig#NONE} when absent
 * @param ownership  the ownership replica's source; null when absent
 * @param tracing    OpenTelemetry tracing; {@link TracingConfig#DEFAULT} (off) when absent
 * @param controlPlane the config control plane (Postgres store, config topic); null in file mode
 */
public record GatewayConfig(
    ListenerConfig listener,
    ManagementConfig management,
    ShutdownConfig shutdown,
    Map<String, ServiceConfig> services,
    List<RouteConfig> routes,
    AuthConfig auth,
    RateLimitingConfig rateLimiting,
    OwnershipConfig ownership,
    TracingConfig tracing,
    ControlPlaneConfig controlPlane) {

  public GatewayConfig {
    services = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(services));
    routes = List.copyOf(routes);
  }

  /** Whether services, routes, limits and keys come from the control plane rather than the file. */
  public boolean managed() {
    return controlPlane != null;
  }
}
