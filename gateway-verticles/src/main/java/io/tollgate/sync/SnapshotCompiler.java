package io.tollgate.sync;

import io.tollgate.auth.AuthSetup;
import io.tollgate.config.GatewayConfig;
import io.tollgate.config.RouteConfig;
import io.tollgate.proxy.TrustedProxies;
import io.tollgate.routing.CompiledRoute;
import io.tollgate.routing.RouteSpec;
import io.tollgate.routing.RouteTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Compiles a validated {@link GatewayConfig} into a {@link ConfigSnapshot}. Pure; runs off the data path. */
public final class SnapshotCompiler {

  private SnapshotCompiler() {
  }

  public static ConfigSnapshot compile(long version, GatewayConfig config, String source) {
    AuthSetup auth = AuthSetup.compile(config.auth());
    List<RouteSpec<CompiledRoute>> specs = new ArrayList<>();
    for (RouteConfig route : config.routes()) {
      CompiledRoute compiled = CompiledRoute.compile(route, config, auth.policiesFor(route));
      specs.add(RouteSpec.of(route, compiled));
    }
    return new ConfigSnapshot(version, config, RouteTable.compile(specs),
        TrustedProxies.parse(config.listener().trustedProxies()), auth, source, Instant.now());
  }
}
