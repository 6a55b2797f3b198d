package io.tollgate.config;

import java.util.List;

/**
 * How a route divides its traffic between services ({@code routes[i].services} and {@code routes[i].canary}).
 *
 * @param services weighted services: each request goes to one of them at random, in proportion to its weight; the
 *                 first is the route's primary {@link RouteConfig#service()}. Empty when the route names one
 *                 {@code service}
 * @param canary   a header that forces a request onto one service, whatever the weights; null = none
 */
public record SplitConfig(List<WeightedService> services, Canary canary) {

  public SplitConfig {
    services = List.copyOf(services);
  }

  /** A service and its relative weight (0–10000; 0 takes no random traffic, e.g. a canary reached by header only). */
  public record WeightedService(String name, int weight) {
  }

  /**
   * @param header  request header name
   * @param value   the value that selects the canary (exact match); null = any value
   * @param service the service it selects
   */
  public record Canary(String header, String value, String service) {
  }
}
