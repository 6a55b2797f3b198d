package io.tollgate.ownership;

import static io.tollgate.testing.FakeRequest.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.auth.Principal;
import io.tollgate.config.RouteOwnershipConfig;
import io.tollgate.events.ownership.OwnershipAssigned;
import io.tollgate.events.ownership.OwnershipRevoked;
import io.tollgate.observability.Counters;
import io.tollgate.pipeline.Outcome;
import io.tollgate.pipeline.RequestContext;
import io.tollgate.problem.ProblemType;
import io.tollgate.routing.PathPattern;
import io.tollgate.testing.VerifiedTokens;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ownership PEP's decision for one request, against a replica filled by hand. */
class OwnershipPolicyTest {

  private static final PathPattern PATTERN = PathPattern.compile("/t/{org}/pods/{podId}");
  private final OwnershipState state = new OwnershipState();
  private final Counters counters = new Counters();

  @BeforeEach
  void fill() {
    state.replica().apply(new OwnershipAssigned("pod", "p1", "alice", "acme", 1, Instant.now(), "test"));
    state.replica().apply(new OwnershipAssigned("pod", "p2", "alice", null, 1, Instant.now(), "test"));
    state.replica().apply(new OwnershipAssigned("pod", "p3", "alice", "acme", 1, Instant.now(), "test"));
    state.replica().apply(new OwnershipRevoked("pod", "p3", "alice", 2, Instant.now(), "test"));
    state.markCaughtUp();
  }

  @Test
  void theOwnerPasses() {
    assertThat(decide(rule(null), "/t/acme/pods/p1", claims("alice", null))).isSameAs(Outcome.NEXT);
  }

  @Test
  void everyOtherCaseIsTheSameNotFound() {
    OwnershipPolicy plain = OwnershipPolicy.compile(rule(null), state, counters);
    for (String[] c : new String[][] {{"/t/acme/pods/p1", "bob"}, {"/t/acme/pods/zz", "alice"},
        {"/t/acme/pods/p3", "alice"}, {"/t/acme/pods/P1", "alice"}}) {
      assertThat(notFound(decide(plain, c[0], claims(c[1], null)))).as(c[0] + " as " + c[1]).isTrue();
    }
    assertThat(notFound(decide(plain, "/t/acme/pods/p1", new JsonObject()))).as("no sub claim").isTrue();
    assertThat(counters.get("ownership.denied")).isEqualTo(5);
  }

  @Test
  void withATenantClaimTheRecordedTenantMustMatchToo() {
    OwnershipPolicy tenanted = OwnershipPolicy.compile(rule("org_id"), state, counters);

    assertThat(decide(tenanted, "/t/acme/pods/p1", claims("alice", "acme"))).isSameAs(Outcome.NEXT);
    assertThat(notFound(decide(tenanted, "/t/acme/pods/p1", claims("alice", "globex")))).isTrue();
    assertThat(notFound(decide(tenanted, "/t/acme/pods/p1", claims("alice", null)))).as("claim missing").isTrue();
    assertThat(notFound(decide(tenanted, "/t/acme/pods/p2", claims("alice", "acme"))))
        .as("no tenant recorded").isTrue();
  }

  @Test
  void beforeTheReplicaCaughtUpTheAnswerIs503NotA404() {
    OwnershipState loading = new OwnershipState();
    Outcome outcome = OwnershipPolicy.compile(rule(null), loading, counters)
        .onRequest(context("/t/acme/pods/p1", claims("alice", null))).result();

    assertThat(outcome).isInstanceOfSatisfying(Outcome.Respond.class, r -> {
      assertThat(r.failure().type()).isEqualTo(ProblemType.OWNERSHIP_NOT_READY);
      assertThat(r.failure().headers()).containsEntry("Retry-After", "1");
    });
    assertThat(counters.get("ownership.not_ready")).isEqualTo(1);
  }

  private static RouteOwnershipConfig rule(String tenantClaim) {
    return new RouteOwnershipConfig("pod", "podId", "sub", tenantClaim);
  }

  private Outcome decide(RouteOwnershipConfig rule, String path, JsonObject claims) {
    return decide(OwnershipPolicy.compile(rule, state, counters), path, claims);
  }

  private static Outcome decide(OwnershipPolicy policy, String path, JsonObject claims) {
    return policy.onRequest(context(path, claims)).result();
  }

  private static RequestContext context(String path, JsonObject claims) {
    RequestContext ctx = new RequestContext(request().build(), "req-1", System.nanoTime());
    ctx.matched(null, PATTERN.match(path));
    Principal principal = VerifiedTokens.principal(claims);
    ctx.put(Principal.KEY, principal);
    return ctx;
  }

  private static JsonObject claims(String sub, String org) {
    JsonObject claims = new JsonObject();
    if (sub != null) {
      claims.put("sub", sub);
    }
    return org == null ? claims : claims.put("org_id", org);
  }

  private static boolean notFound(Outcome outcome) {
    return outcome instanceof Outcome.Respond r && r.failure().type() == ProblemType.NOT_FOUND;
  }
}
