package io.tollgate.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.problem.ProblemType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PolicyChainTest {

  /** The chain never touches the request itself; the policies here do not either. */
  private final RequestContext ctx = new RequestContext(null, "req-1", 0);
  private final List<String> calls = new ArrayList<>();

  @Test
  void emptyChainContinuesWithTheSharedCompletedFuture() {
    assertThat(PolicyChain.EMPTY.isEmpty()).isTrue();
    assertThat(PolicyChain.EMPTY.onRequest(ctx)).isSameAs(Outcome.NEXT_FUTURE);
    assertThat(new PolicyChain(List.of()).onRequest(ctx)).isSameAs(Outcome.NEXT_FUTURE);
  }

  @Test
  void synchronousPoliciesRunInOrderWithoutAllocatingAResult() {
    PolicyChain chain = new PolicyChain(List.of(next("a"), next("b"), next("c")));

    Future<Outcome> result = chain.onRequest(ctx);

    assertThat(chain.isEmpty()).isFalse();
    assertThat(calls).containsExactly("a", "b", "c");
    assertThat(result).isSameAs(Outcome.NEXT_FUTURE);
  }

  @Test
  void respondShortCircuits() {
    GatewayFailure limited = GatewayFailure.of(ProblemType.BAD_REQUEST, "no");
    PolicyChain chain = new PolicyChain(List.of(next("a"), policy("b", () -> Outcome.respond(limited)), next("c")));

    Future<Outcome> result = chain.onRequest(ctx);

    assertThat(calls).containsExactly("a", "b");
    assertThat(respondFailure(result)).isSameAs(limited);
  }

  @Test
  void anAsynchronousPolicyIsContinuedWhenItCompletes() {
    Promise<Outcome> decision = Promise.promise();
    PolicyChain chain = new PolicyChain(List.of(next("a"), policy("b", decision::future), next("c")));

    Future<Outcome> result = chain.onRequest(ctx);
    assertThat(calls).containsExactly("a", "b");
    assertThat(result.isComplete()).isFalse();

    decision.complete(Outcome.NEXT);

    assertThat(calls).containsExactly("a", "b", "c");
    assertThat(result.succeeded()).isTrue();
    assertThat(result.result()).isSameAs(Outcome.NEXT);
  }

  @Test
  void anAsynchronousRespondStopsTheChain() {
    Promise<Outcome> decision = Promise.promise();
    PolicyChain chain = new PolicyChain(List.of(policy("a", decision::future), next("b")));
    GatewayFailure denied = GatewayFailure.of(ProblemType.METHOD_NOT_ALLOWED, "no");

    Future<Outcome> result = chain.onRequest(ctx);
    decision.complete(new Outcome.Respond(denied));

    assertThat(calls).containsExactly("a");
    assertThat(respondFailure(result)).isSameAs(denied);
  }

  @Test
  void aThrowingPolicyBecomesAnInternalError() {
    PolicyChain chain = new PolicyChain(List.of(next("a"), policy("boom", () -> {
      throw new IllegalStateException("bug");
    }), next("c")));

    GatewayFailure failure = respondFailure(chain.onRequest(ctx));

    assertThat(calls).containsExactly("a", "boom");
    assertThat(failure.type()).isEqualTo(ProblemType.INTERNAL_ERROR);
    assertThat(failure.status()).isEqualTo(500);
    assertThat(failure.detail()).isEqualTo("a gateway policy failed").doesNotContain("bug");
  }

  @Test
  void aFailedFutureBecomesAnInternalErrorWhetherSynchronousOrNot() {
    Promise<Outcome> later = Promise.promise();
    PolicyChain sync = new PolicyChain(List.of(policy("a", () -> Future.failedFuture("x")), next("b")));
    PolicyChain async = new PolicyChain(List.of(policy("c", later::future), next("d")));

    Future<Outcome> syncResult = sync.onRequest(ctx);
    Future<Outcome> asyncResult = async.onRequest(ctx);
    later.fail(new RuntimeException("redis down"));

    assertThat(calls).containsExactly("a", "c");
    assertThat(respondFailure(syncResult).type()).isEqualTo(ProblemType.INTERNAL_ERROR);
    assertThat(respondFailure(asyncResult).type()).isEqualTo(ProblemType.INTERNAL_ERROR);
  }

  @Test
  void responseHooksRunInReverseOrder() {
    PolicyChain chain = new PolicyChain(List.of(next("a"), next("b"), next("c")));

    chain.onResponse(ctx);

    assertThat(calls).containsExactly("c.response", "b.response", "a.response");
  }

  private Policy next(String id) {
    return policy(id, () -> Outcome.NEXT_FUTURE);
  }

  private Policy policy(String id, Supplier<Future<Outcome>> decision) {
    return new Policy() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public Future<Outcome> onRequest(RequestContext c) {
        assertThat(c).isSameAs(ctx);
        calls.add(id);
        return decision.get();
      }

      @Override
      public void onResponse(RequestContext c) {
        calls.add(id + ".response");
      }
    };
  }

  private static GatewayFailure respondFailure(Future<Outcome> result) {
    assertThat(result.succeeded()).as("completed successfully: %s", result).isTrue();
    assertThat(result.result()).isInstanceOf(Outcome.Respond.class);
    return ((Outcome.Respond) result.result()).failure();
  }
}
