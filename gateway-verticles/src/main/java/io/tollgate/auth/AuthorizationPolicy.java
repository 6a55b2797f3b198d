package io.tollgate.auth;

import io.tollgate.pipeline.GatewayFailure;
import io.tollgate.pipeline.Outcome;
import io.tollgate.pipeline.Policy;
import io.tollgate.pipeline.RequestContext;
import io.tollgate.problem.ProblemType;
import io.vertx.core.Future;
import java.util.List;

/**
 * Requires every configured scope and role of the authenticated {@link Principal}; 403 otherwise, with
 * {@code WWW-Authenticate: Bearer error="insufficient_scope"} and the scopes needed (RFC 6750 §3.1). Runs after
 * {@link AuthenticationPolicy}.
 */
final class AuthorizationPolicy implements Policy {

  private final List<String> scopes;
  private final List<String> roles;
  private final String challenge;

  AuthorizationPolicy(List<String> scopes, List<String> roles) {
    this.scopes = List.copyOf(scopes);
    this.roles = List.copyOf(roles);
    this.challenge = "Bearer realm=\"tollgate\", error=\"insufficient_scope\""
        + (scopes.isEmpty() ? "" : ", scope=\"" + String.join(" ", scopes) + "\"");
  }

  @Override
  public String id() {
    return "authz";
  }

  @Override
  public Future<Outcome> onRequest(RequestContext ctx) {
    Principal principal = ctx.get(Principal.KEY);
    if (principal == null) {
      return Outcome.respond(GatewayFailure.of(ProblemType.UNAUTHORIZED, "credentials are required"));
    }
    for (String scope : scopes) {
      if (!principal.scopes().contains(scope)) {
        return forbid(ctx, "missing scope '" + scope + "'");
      }
    }
    for (String role : roles) {
      if (!principal.roles().contains(role)) {
        return forbid(ctx, "missing role '" + role + "'");
      }
    }
    return Outcome.NEXT_FUTURE;
  }

  private Future<Outcome> forbid(RequestContext ctx, String detail) {
    ctx.rejection("forbidden");
    ctx.get(AuthRuntime.KEY).count("auth.forbidden");
    return Outcome.respond(GatewayFailure.of(ProblemType.FORBIDDEN, detail).withHeader("WWW-Authenticate", challenge));
  }
}
