package io.tollgate.ownership;

import io.tollgate.auth.Principal;
import io.tollgate.config.RouteOwnershipConfig;
import io.tollgate.observability.Counters;
import io.tollgate.pipeline.GatewayFailure;
import io.tollgate.pipeline.Outcome;
import io.tollgate.pipeline.Policy;
import io.tollgate.pipeline.RequestContext;
import io.tollgate.problem.ProblemType;
import io.vertx.core.Future;

/**
 * The {@code ownership} policy (policy enforcement point) of one route: the authenticated caller must own
 * {@code <resource>:<id>} according to the node's replica, {@code <id>} being a path parameter. A memory lookup,
 * no I/O.
 *
 * <p>Answers: owner → continue; not the owner, unknown resource, revoked, or a tenant mismatch → the same 404
 * {@code not-found} (existence is never revealed); before the replica has caught up once → 503
 * {@code ownership-not-ready} with {@code Retry-After} (never a misleading 404). Counted as
 * {@code ownership.denied} and {@code ownership.not_ready}. Runs after authentication.
 */
public final class OwnershipPolicy implements Policy {

  private final RouteOwnershipConfig rule;
  private final OwnershipState state;
  private final Counters counters;

  private OwnershipPolicy(RouteOwnershipConfig rule, OwnershipState state, Counters counters) {
    this.rule = rule;
    this.state = state;
    this.counters = counters;
  }

  public static OwnershipPolicy compile(RouteOwnershipConfig rule, OwnershipState state, Counters counters) {
    return new OwnershipPolicy(rule, state, counters);
  }

  @Override
  public String id() {
    return "ownership";
  }

  @Override
  public Future<Outcome> onRequest(RequestContext ctx) {
    if (!state.caughtUp()) {
      counters.increment("ownership.not_ready");
      return Outcome.respond(GatewayFailure.of(ProblemType.OWNERSHIP_NOT_READY,
          "the ownership replica is still loading; retry shortly").withHeader("Retry-After", "1"));
    }
    Principal principal = ctx.get(Principal.KEY);
    if (principal == null) {
      return Outcome.respond(GatewayFailure.of(ProblemType.UNAUTHORIZED, "credentials are required"));
    }
    String owner = principal.claim(rule.ownerClaim());
    String tenant = rule.tenantClaim() == null ? null : principal.claim(rule.tenantClaim());
    String id = ctx.params().decoded(rule.idParam());
    boolean owns = owner != null && id != null && (rule.tenantClaim() == null || tenant != null)
        && state.replica().isOwner(rule.resource(), id, owner, tenant);
    if (!owns) {
      counters.increment("ownership.denied");
      return Outcome.respond(GatewayFailure.of(ProblemType.NOT_FOUND, "not found"));
    }
    return Outcome.NEXT_FUTURE;
  }
}
