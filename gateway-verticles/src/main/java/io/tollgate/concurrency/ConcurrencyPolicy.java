package io.tollgate.concurrency;

import io.tollgate.config.RouteLimitsConfig.Concurrency;
import io.tollgate.pipeline.GatewayFailure;
import io.tollgate.pipeline.Outcome;
import io.tollgate.pipeline.Policy;
import io.tollgate.pipeline.RequestContext;
import io.tollgate.problem.ProblemType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The {@code concurrency} policy of one route: takes a slot of the route's {@link Bulkhead} (waiting in its queue
 * if allowed) and holds it until the request is over — response ended, or client gone — so an upload or a long
 * download counts for its whole duration. No slot: 503 {@code concurrency-limited} with {@code Retry-After: 1}.
 */
public final class ConcurrencyPolicy implements Policy {

  private final Bulkhead bulkhead;
  private final Concurrency config;

  private ConcurrencyPolicy(Bulkhead bulkhead, Concurrency config) {
    this.bulkhead = bulkhead;
    this.config = config;
  }

  /** The route's cap, on the node's bulkhead for {@code routeId} (created or resized). */
  public static ConcurrencyPolicy compile(String routeId, Concurrency config, Bulkheads bulkheads) {
    return new ConcurrencyPolicy(bulkheads.forRoute(routeId, config.max(), config.queue()), config);
  }

  @Override
  public String id() {
    return "concurrency";
  }

  @Override
  public Future<Outcome> onRequest(RequestContext ctx) {
    Bulkhead.Waiting waiting = bulkhead.acquire(Vertx.currentContext(), config.maxWait());
    Admission admission = new Admission(waiting);
    ctx.onFinish(admission);
    Future<Bulkhead.Slot> slot = waiting.slot();
    if (slot.succeeded()) {
      admission.slot = slot.result();
      return Outcome.NEXT_FUTURE;
    }
    return slot.transform(ar -> {
      if (ar.succeeded()) {
        if (admission.over) {
          ar.result().release(); // the client left while the slot was being handed over
        } else {
          admission.slot = ar.result();
        }
        return Outcome.NEXT_FUTURE;
      }
      return Outcome.respond(GatewayFailure.of(ProblemType.CONCURRENCY_LIMITED,
          "route '" + bulkhead.name() + "' already has " + config.max() + " requests in flight ("
              + ar.cause().getMessage() + ")").withHeader("Retry-After", "1"));
    });
  }

  /** Per request: returns the slot, or leaves the queue, when the request is over. */
  private static final class Admission implements Runnable {

    private final Bulkhead.Waiting waiting;
    private Bulkhead.Slot slot;
    private boolean over;

    Admission(Bulkhead.Waiting waiting) {
      this.waiting = waiting;
    }

    @Override
    public void run() {
      over = true;
      if (slot != null) {
        slot.release();
      } else {
        waiting.cancel();
      }
    }
  }
}
