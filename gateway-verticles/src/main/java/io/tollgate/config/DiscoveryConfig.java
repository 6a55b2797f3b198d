package io.tollgate.config;

/**
 * Where a discovered service's targets come from ({@code services.<name>.discovery}): DNS or Kubernetes
 * EndpointSlices, never both and never with a static {@code targets} list. Records compare by value: a reload that
 * keeps a service's discovery equal keeps its last good set and its running lookups or watch.
 */
public sealed interface DiscoveryConfig permits DnsDiscoveryConfig, KubernetesDiscoveryConfig {

  /** A short description for logs and errors, e.g. {@code orders.internal} or {@code kubernetes shop/orders}. */
  String describe();
}
