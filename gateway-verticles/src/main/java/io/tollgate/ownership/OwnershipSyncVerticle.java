package io.tollgate.ownership;

import io.tollgate.config.OwnershipConfig;
import io.tollgate.health.GatewayState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Keeps the node's ownership replica ({@link OwnershipState}) in step with the ownership topic. Control plane, one
 * instance per node. The Kafka consumer runs on a thread of its own ({@link OwnershipFeed}, the replica's single
 * writer), so neither a replay of millions of records nor a Kafka outage ever occupies an event loop; ingress
 * instances read the replica directly (lock-free), with no event-bus message per request.
 *
 * <p>Readiness: the {@code ownership} check fails until the replica has caught up once. Changing {@code ownership:}
 * in the config takes effect after a restart.
 */
public final class OwnershipSyncVerticle extends VerticleBase {

  static final String READINESS_CHECK = "ownership";

  private final GatewayState state;
  private final OwnershipConfig config;
  private OwnershipFeed feed;
  private Thread thread;

  /** @param config the ownership source; null = none configured (the verticle then does nothing) */
  public OwnershipSyncVerticle(GatewayState state, OwnershipConfig config) {
    this.state = state;
    this.config = config;
  }

  @Override
  public Future<?> start() {
    if (config == null) {
      return Future.succeededFuture();
    }
    OwnershipState ownership = state.ownership();
    ownership.configured();
    state.notReady(READINESS_CHECK, "the ownership replica has not caught up with " + config.topic() + " yet");
    feed = new OwnershipFeed(config, ownership, () -> state.ready(READINESS_CHECK),
        "tollgate-ownership-" + state.instanceId());
    thread = new Thread(feed, "tollgate-ownership-feed");
    thread.setDaemon(true);
    thread.start();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (feed == null) {
      return Future.succeededFuture();
    }
    feed.stop();
    return vertx.executeBlocking(() -> {
      thread.join(10_000);
      return null;
    }, false);
  }
}
