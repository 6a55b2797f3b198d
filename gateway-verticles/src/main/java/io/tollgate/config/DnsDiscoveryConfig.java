package io.tollgate.config;

import java.time.Duration;
import java.util.List;

/**
 * DNS discovery of a service's targets ({@code services.<name>.discovery.dns}): the gateway resolves {@code name}
 * (A and AAAA records) again when the answer's TTL runs out (the smallest TTL of its records, clamped to
 * [{@code minTtl}, {@code maxTtl}]) and makes each address a target {@code <scheme>://<address>:<port>}.
 * A changed answer replaces the service's target set; a failed or empty lookup keeps the last good set. Used instead
 * of {@code targets}, never with it.
 *
 * @param name     the DNS name to resolve, e.g. {@code orders.internal}; required
 * @param port     the targets' port; required, 1–65535
 * @param ssl      {@code true} for {@code scheme: https}; default {@code http}
 * @param basePath path prefix of every forwarded path, as in a target URL; default {@code ""} (never ends in {@code /})
 * @param minTtl   floor of the time between two lookups (a TTL of 0 or 1 s is not a reason to hammer the server);
 *                 also the first wait after a failed or empty lookup, doubled for each one in a row up to
 *                 {@code maxTtl}. Default {@code 1s} (or {@code maxTtl} when that is shorter); at least {@code 100ms}
 * @param maxTtl   ceiling of the time between two lookups (a TTL of an hour still re-resolves this often). Default
 *                 {@code 300s}; at least {@code minTtl}
 * @param timeout  a query without an answer within this fails. Default {@code 2s} (or {@code maxTtl} when that is
 *                 shorter); at most {@code maxTtl}
 * @param servers  DNS servers as {@code ip} or {@code ip:port} ({@code [ipv6]:port}), tried in order; empty (the
 *                 default) = the first name server of the system's resolver configuration
 */
public record DnsDiscoveryConfig(
    String name, int port, boolean ssl, String basePath, Duration minTtl, Duration maxTtl, Duration timeout,
    List<Server> servers) implements DiscoveryConfig {

  public static final Duration DEFAULT_MIN_TTL = Duration.ofSeconds(1);
  public static final Duration DEFAULT_MAX_TTL = Duration.ofSeconds(300);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
  /** The smallest {@code minTtl} accepted. */
  public static final Duration MIN_TTL_FLOOR = Duration.ofMillis(100);

  public DnsDiscoveryConfig {
    servers = List.copyOf(servers);
  }

  @Override
  public String describe() {
    return name;
  }

  /**
   * The wait before the next lookup after an answer whose smallest TTL is {@code ttlSeconds}: the TTL clamped to
   * [{@code minTtl}, {@code maxTtl}].
   */
  public Duration next(long ttlSeconds) {
    Duration ttl = Duration.ofSeconds(Math.max(0, ttlSeconds));
    return ttl.compareTo(minTtl) < 0 ? minTtl : ttl.compareTo(maxTtl) > 0 ? maxTtl : ttl;
  }

  /** The wait after the {@code inARow}-th failed or empty lookup in a row: {@code minTtl × 2^(n-1)}, at most {@code maxTtl}. */
  public Duration retry(int inARow) {
    long ms = minTtl.toMillis() << Math.min(Math.max(inARow - 1, 0), 20);
    return ms > maxTtl.toMillis() ? maxTtl : Duration.ofMillis(ms);
  }

  /** The target for one resolved address (an IPv4 or IPv6 literal); weight 1. */
  public TargetConfig target(String ip) {
    return TargetConfig.discovered(ip, port, ssl, basePath);
  }

  /** A DNS server: an IP literal (no brackets) and a UDP port (default 53). */
  public record Server(String host, int port) {

    @Override
    public String toString() {
      return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
  }
}
