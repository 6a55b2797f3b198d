package io.tollgate.pipeline;

import io.vertx.core.Future;

/**
 * One step of the request pipeline (authentication, rate limit, size limits, …).
 *
 * <p>Contract:
 * <ul>
 *   <li>Both hooks run on the event loop of the ingress instance that accepted the request; they must never
 *       block. Asynchronous work returns a future completed on that same event loop.</li>
 *   <li>Request hooks run in chain order; response hooks run in reverse order, only for requests that reached
 *       the proxy and got upstream response headers.</li>
 *   <li>A policy instance is shared by every request of a config snapshot on every event loop: keep per-request
 *       state in {@link RequestContext}, and shared state immutable or thread-safe.</li>
 *   <li>A failed future is treated as an internal error (500); expected rejections are
 *       {@link Outcome.Respond}.</li>
 * </ul>
 */
public interface Policy {

  /** Stable kebab-case identifier, used in logs, metrics and config (e.g. {@code "body-limit"}). */
  String id();

  /** Decides whether the request continues. The request body is paused while this runs. */
  Future<Outcome> onRequest(RequestContext ctx);

  /** Adjusts the response before its headers are sent (headers are mutable on {@code ctx.response()}). */
  default void onResponse(RequestContext ctx) {
  }
}
