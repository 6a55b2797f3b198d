package io.tollgate.config;

import java.time.Duration;
import java.util.List;

/**
 * DNS discovery of a service's targets ({@code services.<name>.discovery.dns}): the gateway resolves {@code name}
 * (A and AAAA records) every {@code refresh} and makes each address a target {@code <scheme>://<address>:<port>}.
 * A changed answer replaces the service's target set; a failed or empty lookup keeps the last good set. Used instead
 * of {@code targets}, never with it.
 *
 * @param name     the DNS name to resolve, e.g. {@code orders.internal}; required
 * @param port     the targets' port; required, 1–65535
 * @param ssl      {@code true} for {@code scheme: https}; default {@code http}
 * @param basePath path prefix of every forwarded path, as in a target URL; default {@code ""} (never ends in {@code /})
 * @param refresh  time between two lookups. Default {@code 30s}; at least {@code 100ms}. The records' TTL is not
 *                 consulted (Vert.x's DNS client does not expose it): set {@code refresh} to about the TTL
 * @param timeout  a lookup without an answer within this fails. Default {@code 2s}; at most {@code refresh}
 * @param servers  DNS servers as {@code ip} or {@code ip:port} ({@code [ipv6]:port}), tried in order; empty (the
 *                 default) = the first name server of the system's resolver configuration
 */
public record DnsDiscoveryConfig(
    String name, int port, boolean ssl, String basePath, Duration refresh, Duration timeout, List<Server> servers) {

  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(30);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration MIN_REFRESH = Duration.ofMillis(100);

  public DnsDiscoveryConfig {
    servers = List.copyOf(servers);
  }

  /** The target for one resolved address (an IPv4 or IPv6 literal); weight 1. */
  public TargetConfig target(String ip) {
    String host = ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
    String url = (ssl ? "https://" : "http://") + host + ":" + port + basePath;
    return new TargetConfig(url, ssl, ip, port, basePath);
  }

  /** A DNS server: an IP literal (no brackets) and a UDP port (default 53). */
  public record Server(String host, int port) {

    @Override
    public String toString() {
      return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
  }
}
