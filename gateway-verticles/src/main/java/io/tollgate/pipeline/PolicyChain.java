package io.tollgate.pipeline;

import io.tollgate.problem.ProblemType;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An immutable, ordered list of {@link Policy} for one route, compiled once per config snapshot.
 *
 * <p>{@link #onRequest} runs request hooks in order and stops at the first {@link Outcome.Respond};
 * {@link #onResponse} runs response hooks in reverse order. Policies that answer synchronously (an already
 * completed future) are continued inline: no task is scheduled, nothing is allocated.
 */
public final class PolicyChain {

  private static final Logger LOG = LoggerFactory.getLogger(PolicyChain.class);

  public static final PolicyChain EMPTY = new PolicyChain(List.of());

  private final Policy[] policies;

  public PolicyChain(List<Policy> policies) {
    this.policies = policies.toArray(Policy[]::new);
  }

  public boolean isEmpty() {
    return policies.length == 0;
  }

  /** Runs request hooks; the future completes with {@link Outcome#NEXT} or the first {@code Respond}. */
  public Future<Outcome> onRequest(RequestContext ctx) {
    return run(ctx, 0);
  }

  private Future<Outcome> run(RequestContext ctx, int from) {
    for (int i = from; i < policies.length; i++) {
      if (ctx.clientGone()) {
        return Outcome.NEXT_FUTURE; // nobody to answer; the ingress checks clientGone before proxying
      }
      Policy policy = policies[i];
      Future<Outcome> f = invoke(policy, ctx);
      if (!f.isComplete()) {
        int next = i + 1;
        Promise<Outcome> promise = Promise.promise();
        f.onComplete(ar -> {
          Outcome o = ar.succeeded() ? ar.result() : internalError(policy, ctx, ar.cause());
          if (o instanceof Outcome.Respond) {
            promise.complete(o);
          } else {
            run(ctx, next).onComplete(promise);
          }
        });
        return promise.future();
      }
      Outcome o = f.succeeded() ? f.result() : internalError(policy, ctx, f.cause());
      if (o instanceof Outcome.Respond) {
        return Future.succeededFuture(o);
      }
    }
    return Outcome.NEXT_FUTURE;
  }

  private static Future<Outcome> invoke(Policy policy, RequestContext ctx) {
    try {
      return policy.onRequest(ctx);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static Outcome internalError(Policy policy, RequestContext ctx, Throwable cause) {
    LOG.error("policy '{}' failed on request {}", policy.id(), ctx.requestId(), cause);
    return new Outcome.Respond(GatewayFailure.of(ProblemType.INTERNAL_ERROR, "a gateway policy failed"));
  }

  /** Runs response hooks in reverse order. */
  public void onResponse(RequestContext ctx) {
    for (int i = policies.length - 1; i >= 0; i--) {
      policies[i].onResponse(ctx);
    }
  }
}
