package io.tollgate.sync;

import io.tollgate.auth.AuthSetup;
import io.tollgate.config.GatewayConfig;
import io.tollgate.config.ListenerConfig.EscapedSlashes;
import io.tollgate.proxy.TrustedProxies;
import io.tollgate.routing.CompiledRoute;
import io.tollgate.routing.RouteTable;
import java.time.Instant;

/**
 * One live configuration, compiled for the data plane: immutable, shared by every ingress instance on every
 * event loop, replaced as a whole (never mutated) when a newer version is published.
 *
 * @param version        monotonically increasing; ingress instances ignore snapshots not newer than theirs
 * @param config         the validated source config
 * @param routes         the compiled route table
 * @param trustedProxies compiled {@code listener.trustedProxies}
 * @param auth           compiled {@code auth:} (API-key store, token issuers)
 * @param source         where it came from (file path, later "admin-api"), for status pages
 * @param loadedAt       when it was compiled
 */
public record ConfigSnapshot(
    long version,
    GatewayConfig config,
    RouteTable<CompiledRoute> routes,
    TrustedProxies trustedProxies,
    AuthSetup auth,
    String source,
    Instant loadedAt) {

  /** The same snapshot under another version (compiled off the event loop, numbered when it is published). */
  public ConfigSnapshot withVersion(long next) {
    return new ConfigSnapshot(next, config, routes, trustedProxies, auth, source, loadedAt);
  }

  public EscapedSlashes escapedSlashes() {
    return config.listener().escapedSlashes();
  }
}
