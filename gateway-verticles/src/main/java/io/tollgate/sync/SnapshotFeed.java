package io.tollgate.sync;

import io.tollgate.events.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.function.Consumer;

/**
 * How a verticle follows the live config: subscribe to published snapshots first, then ask for the current one,
 * so no snapshot published in between can be missed. Callbacks run on the calling verticle's event loop.
 */
public final class SnapshotFeed {

  /** Short and explicit: config sync answers from memory. */
  private static final long GET_TIMEOUT_MS = 5_000;

  private SnapshotFeed() {
  }

  /**
   * Calls {@code onSnapshot} with the current snapshot and with every later one; the future completes once the
   * current one has been delivered. Call from the verticle's {@code start()}.
   */
  public static Future<Void> follow(Vertx vertx, Consumer<ConfigSnapshot> onSnapshot) {
    vertx.eventBus().<ConfigSnapshot>consumer(Addresses.CONFIG_SNAPSHOT_PUBLISHED, msg -> onSnapshot.accept(msg.body()));
    return vertx.eventBus()
        .<ConfigSnapshot>request(Addresses.CONFIG_GET_SNAPSHOT, null, new DeliveryOptions().setSendTimeout(GET_TIMEOUT_MS))
        .map(reply -> {
          onSnapshot.accept(reply.body());
          return null;
        });
  }
}
