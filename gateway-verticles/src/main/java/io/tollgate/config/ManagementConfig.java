package io.tollgate.config;

/**
 * The management listener ({@code management:} in YAML): detailed status with upstream URLs and pools, and
 * {@code /metrics} for Prometheus (point the scrape config at {@code host:port}; bind {@code host} to an address
 * Prometheus reaches, e.g. a private interface). Later it also serves the Admin API. Never expose it publicly.
 *
 * @param enabled default {@code true}
 * @param host    bind address; default {@code 127.0.0.1}
 * @param port    TCP port; default {@code 9901}; {@code 0} picks a free port
 * @param metrics default {@code true}: Prometheus meters are recorded and served on {@code /metrics}. {@code false}
 *                records nothing (no per-request meters, no Vert.x or JVM meters) and {@code /metrics} answers 404:
 *                for nodes nothing scrapes, and to measure what metrics cost
 */
public record ManagementConfig(boolean enabled, String host, int port, boolean metrics) {

  /** All defaults: what an absent {@code management:} section means. */
  public static final ManagementConfig DEFAULT = new ManagementConfig(true, "127.0.0.1", 9901, true);
}
