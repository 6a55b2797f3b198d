package io.tollgate.auth.keys;

import io.tollgate.events.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.function.Consumer;

/**
 * How a verticle follows the live keys: subscribe to published {@link AuthKeys} first, then ask for the current
 * ones, so nothing published in between can be missed. Callbacks run on the calling verticle's event loop; the
 * same version may arrive twice (once published, once as the reply), so keep a snapshot only if its
 * {@link AuthKeys#version()} is newer than the one held.
 *
 * <pre>{@code
 * // in an ingress verticle's start():
 * return AuthKeysFeed.follow(vertx, keys -> {
 *   if (authKeys == null || keys.version() > authKeys.version()) {
 *     authKeys = keys;
 *   }
 * });
 * }</pre>
 */
public final class AuthKeysFeed {

  /** Short and explicit: the keys verticle answers from memory. */
  private static final long GET_TIMEOUT_MS = 5_000;

  private AuthKeysFeed() {
  }

  /**
   * Calls {@code onKeys} with the current keys and with every later publication; the future completes once the
   * current keys have been delivered, and fails when the keys verticle does not answer within 5 s. Call from the
   * verticle's {@code start()}; the subscription ends when that verticle is undeployed.
   */
  public static Future<Void> follow(Vertx vertx, Consumer<AuthKeys> onKeys) {
    vertx.eventBus().<AuthKeys>consumer(Addresses.AUTH_KEYS_PUBLISHED, msg -> onKeys.accept(msg.body()));
    return vertx.eventBus()
        .<AuthKeys>request(Addresses.AUTH_GET_KEYS, null, new DeliveryOptions().setSendTimeout(GET_TIMEOUT_MS))
        .map(reply -> {
          onKeys.accept(reply.body());
          return null;
        });
  }

  /**
   * Asks for a refetch of {@code issuerName}'s keys because a token named a {@code kid} they lack. Fire and forget:
   * the keys verticle rate-limits it per issuer ({@link IssuerSource#unknownKidCooldown()}); new keys, if any,
   * arrive through {@link #follow}. Never wait for them inside a request.
   */
  public static void requestRefresh(Vertx vertx, String issuerName) {
    vertx.eventBus().send(Addresses.AUTH_REFRESH_REQUESTED, issuerName);
  }
}
