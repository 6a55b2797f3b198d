package io.tollgate.config;

import java.time.Duration;

/**
 * Kubernetes EndpointSlices discovery of a service's targets ({@code services.<name>.discovery.kubernetes}): the
 * gateway lists and then watches the EndpointSlices of the Kubernetes Service {@code service} in {@code namespace}
 * ({@code discovery.k8s.io/v1}, label {@code kubernetes.io/service-name}) and makes each ready endpoint address a
 * target {@code <scheme>://<address>:<port>}. A change of the slices replaces the service's target set; an
 * unreachable API server keeps the last good set. Used instead of {@code targets} or {@code dns}, never with them.
 *
 * @param namespace the Service's namespace; required
 * @param service   the Kubernetes Service's name; required
 * @param port      the port of the slices to use: a port name (resolved per slice, as ports may differ between
 *                  slices) or a number; null (the default) = the slice's only port (a slice with several ports is
 *                  then skipped and reported)
 * @param apiServer the API server's base URL, {@code https://host:port}; default
 *                  {@code https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT_HTTPS} (in-cluster)
 * @param tokenFile the bearer token, re-read every {@link #TOKEN_REREAD} (projected tokens rotate); default
 *                  {@value #DEFAULT_TOKEN_FILE}; empty = no {@code Authorization} header
 * @param caFile    PEM CA bundle the API server's certificate must chain to; default {@value #DEFAULT_CA_FILE}; empty
 *                  = the JVM's trust store
 * @param ssl       {@code true} for {@code scheme: https} (the targets' scheme); default {@code http}
 * @param basePath  path prefix of every forwarded path, as in a target URL; default {@code ""}
 * @param timeout   connect timeout and the time a LIST may take; default {@code 10s}. A WATCH is open-ended: the API
 *                  server ends it after a few minutes and it is re-opened from the last resourceVersion
 */
public record KubernetesDiscoveryConfig(
    String namespace, String service, String port, String apiServer, String tokenFile, String caFile, boolean ssl,
    String basePath, Duration timeout) implements DiscoveryConfig {

  public static final String DEFAULT_TOKEN_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/token";
  public static final String DEFAULT_CA_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  /** How often the token file is read again (kubelet rotates projected tokens well before they expire). */
  public static final Duration TOKEN_REREAD = Duration.ofMinutes(1);

  @Override
  public String describe() {
    return "kubernetes " + namespace + "/" + service;
  }

  /** The target for one endpoint address (an IPv4 or IPv6 literal) and its resolved port; weight 1. */
  public TargetConfig target(String ip, int targetPort) {
    return TargetConfig.discovered(ip, targetPort, ssl, basePath);
  }
}
