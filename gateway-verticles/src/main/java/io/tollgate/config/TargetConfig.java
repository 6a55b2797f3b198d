package io.tollgate.config;

/**
 * One upstream instance ({@code services.<name>.targets[i]}).
 *
 * @param url      the original absolute URL as written (after {@code ${ENV:default}} substitution)
 * @param ssl      {@code true} for {@code https}
 * @param host     host name or address
 * @param port     port; defaults to 80 / 443 by scheme
 * @param basePath path prefix prepended to every forwarded path; {@code ""} when the URL has no path or {@code /}
 *                 (never ends with {@code /})
 * @param weight   relative share of requests under the {@code weighted} balancer (and the in-flight bias of
 *                 {@code least-request}); 1 to 1000, default {@code 1}
 */
public record TargetConfig(String url, boolean ssl, String host, int port, String basePath, int weight) {

  public static final int MAX_WEIGHT = 1000;

  /** The target for a discovered IP literal (IPv6 without brackets): {@code <scheme>://<ip>:<port><basePath>}, weight 1. */
  public static TargetConfig discovered(String ip, int port, boolean ssl, String basePath) {
    String host = ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    return new TargetConfig((ssl ? "https://" : "http://") + host + ":" + port + basePath, ssl, ip, port, basePath);
  }

  /** A target of weight 1. */
  public TargetConfig(String url, boolean ssl, String host, int port, String basePath) {
    this(url, ssl, host, port, basePath, 1);
  }

  /** {@code host:port} (IPv6 in brackets): the key of the target's health and in-flight state on the node. */
  public String address() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  public TargetConfig withWeight(int newWeight) {
    return new TargetConfig(url, ssl, host, port, basePath, newWeight);
  }
}
