package io.tollgate.sync;

import io.tollgate.auth.AuthSetup;
import io.tollgate.concurrency.Bulkheads;
import io.tollgate.concurrency.ConcurrencyPolicy;
import io.tollgate.health.GatewayState;
import io.tollgate.ownership.OwnershipPolicy;
import io.tollgate.pipeline.Policy;
import io.tollgate.ratelimit.RateLimitPolicy;
import io.tollgate.config.GatewayConfig;
import io.tollgate.config.RouteConfig;
import io.tollgate.proxy.TrustedProxies;
import io.tollgate.routing.CompiledRoute;
import io.tollgate.routing.RouteSpec;
import io.tollgate.routing.RouteTable;
import java.time.Instant;
import java.util.ArrayList;
import io.tollgate.config.ServiceConfig;
import io.tollgate.upstream.ServiceTargets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.List;

/** Compiles a validated {@link GatewayConfig} into a {@link ConfigSnapshot}. Pure; runs off the data path. */
public final class SnapshotCompiler {

  private SnapshotCompiler() {
  }

  /**
   * @param node the node's shared state: its bulkheads (routes with {@code concurrency:} get or resize theirs, the
   *             others' are forgotten), upstream addresses (kept by address; addresses no longer named are
   *             forgotten), ownership replica and counters
   */
  public static ConfigSnapshot compile(long version, GatewayConfig config, String source, GatewayState node) {
    Bulkheads bulkheads = node.bulkheads();
    AuthSetup auth = AuthSetup.compile(config.auth());
    TrustedProxies trusted = TrustedProxies.parse(config.listener().trustedProxies());
    List<RouteSpec<CompiledRoute>> specs = new ArrayList<>();
    Set<String> capped = new HashSet<>();
    Map<String, ServiceTargets> targets = new HashMap<>();
    Set<String> addresses = new HashSet<>();
    Set<String> discovered = new HashSet<>();
    for (ServiceConfig service : config.services().values()) {
      if (service.discovery() != null) {
        // Before compiling: the service's targets read this set, kept with its last good answer across reloads.
        node.upstreams().discovered(service.name(), service.discovery());
        discovered.add(service.name());
      }
    }
    node.upstreams().retainDiscovered(discovered);
    for (ServiceConfig service : config.services().values()) {
      targets.put(service.name(), ServiceTargets.compile(service, node.upstreams()));
      service.targets().forEach(t -> addresses.add(t.address()));
    }
    node.upstreams().retainOnly(addresses);
    for (RouteConfig route : config.routes()) {
      List<Policy> routePolicies = policies(route, config, auth, trusted, node);
      CompiledRoute compiled = CompiledRoute.compile(route, config, routePolicies, targets.get(route.service()));
      CompiledRoute fallback = route.fallback() == null || route.fallback().service() == null ? null
          : CompiledRoute.compile(route.asFallbackTo(route.fallback().service()), config, routePolicies,
              targets.get(route.fallback().service()));
      compiled.withFallback(fallback);
      if (route.split() != null) {
        split(compiled, route, config, routePolicies, targets, fallback);
      }
      specs.add(RouteSpec.of(route, compiled));
      if (route.concurrency() != null) {
        capped.add(route.id());
      }
    }
    bulkheads.retainOnly(capped);
    Set<String> routeIds = new HashSet<>();
    config.routes().forEach(r -> routeIds.add(r.id()));
    node.upstreams().retainBudgets(routeIds);
    return new ConfigSnapshot(version, config, RouteTable.compile(specs), trusted, auth, source, Instant.now());
  }

  /**
   * Compiles the variants of a split route — the same route (and the same policy instances, so limits and caps are
   * shared) with another service each — and attaches them to {@code primary}.
   */
  private static void split(CompiledRoute primary, RouteConfig route, GatewayConfig config, List<Policy> policies,
      Map<String, ServiceTargets> targets, CompiledRoute fallback) {
    var weighted = route.split().services();
    CompiledRoute[] variants = new CompiledRoute[weighted.size()];
    int[] weights = new int[weighted.size()];
    for (int i = 0; i < variants.length; i++) {
      String service = weighted.get(i).name();
      variants[i] = service.equals(route.service()) ? primary
          : CompiledRoute.compile(route.withService(service), config, policies, targets.get(service))
              .withFallback(fallback);
      weights[i] = weighted.get(i).weight();
    }
    var canary = route.split().canary();
    CompiledRoute canaryRoute = canary == null ? null : canary.service().equals(route.service()) ? primary
        : CompiledRoute.compile(route.withService(canary.service()), config, policies,
            targets.get(canary.service())).withFallback(fallback);
    primary.withSplit(variants, weights, canaryRoute, canary == null ? null : canary.header(),
        canary == null ? null : canary.value());
  }

  /**
   * A route's policies in pipeline order: authentication, authorization (scopes and roles, then ownership), rate
   * limit, concurrency cap.
   */
  private static List<Policy> policies(RouteConfig route, GatewayConfig config, AuthSetup auth,
      TrustedProxies trusted, GatewayState node) {
    List<Policy> policies = new ArrayList<>(auth.policiesFor(route));
    if (route.ownership() != null) {
      policies.add(OwnershipPolicy.compile(route.ownership(), node.ownership(), node.counters()));
    }
    if (route.rateLimit() != null) {
      policies.add(RateLimitPolicy.compile(route.id(), route.rateLimit(), config.rateLimiting(), trusted));
    }
    if (route.concurrency() != null) {
      policies.add(ConcurrencyPolicy.compile(route.id(), route.concurrency(), node.bulkheads()));
    }
    return policies;
  }
}
