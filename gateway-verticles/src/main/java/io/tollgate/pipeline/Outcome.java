package io.tollgate.pipeline;

import io.vertx.core.Future;

/**
 * What a {@link Policy} decided about a request: continue, or answer now.
 *
 * <p>Policies return {@code Future<Outcome>} so that asynchronous decisions (a Redis call) and synchronous
 * ones read the same; synchronous policies return the pre-completed {@link #NEXT_FUTURE}, which the
 * {@link PolicyChain} continues inline without allocation.
 */
public sealed interface Outcome permits Outcome.Next, Outcome.Respond {

  /** Continue with the next policy, and finally the proxy. */
  Next NEXT = new Next();

  /** {@link #NEXT} as an already completed future. */
  Future<Outcome> NEXT_FUTURE = Future.succeededFuture(NEXT);

  static Future<Outcome> respond(GatewayFailure failure) {
    return Future.succeededFuture(new Respond(failure));
  }

  /** Continue. */
  final class Next implements Outcome {
    private Next() {
    }
  }

  /** Short-circuit: answer the client with {@code failure}; later policies and the proxy do not run. */
  record Respond(GatewayFailure failure) implements Outcome {
  }
}
