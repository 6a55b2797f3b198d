package io.tollgate.events;

/**
 * Event-bus addresses of the control plane, named {@code gw.<plane>.<topic>.v<major>}.
 *
 * <p>Events are past-tense facts, published to every subscriber; requests are imperative and expect one reply
 * within a short, explicit timeout. No address is ever used per proxied request: the data plane only reads
 * immutable snapshots that these messages carry.
 */
public final class Addresses {

  /** Event: a new validated config snapshot is live ({@code ConfigSnapshot}, local codec). */
  public static final String CONFIG_SNAPSHOT_PUBLISHED = "gw.control.config.snapshot-published.v1";

  /** Request: reply with the current config snapshot ({@code GetSnapshot}); used by ingress in {@code start()}. */
  public static final String CONFIG_GET_SNAPSHOT = "gw.control.config.get-snapshot.v1";

  /** Event: a config change was refused; body is a JSON array of {@code {path, message}} errors. */
  public static final String CONFIG_REJECTED = "gw.control.config.rejected.v1";

  /**
   * Request: validate a proposed set of managed entities ({@code ManagedEntities}, local codec) on top of this
   * node's bootstrap config; the reply is a JSON array of {@code {path, message}} errors, empty when valid. Sent by
   * the Admin API before every write.
   */
  public static final String CONFIG_VALIDATE = "gw.control.config.validate.v1";

  /**
   * Event: the verification keys changed, or a fetch attempt failed ({@code AuthKeys}, local codec): every
   * issuer's current key set with when it was fetched and the last error. Published by {@code AuthKeysVerticle}.
   */
  public static final String AUTH_KEYS_PUBLISHED = "gw.control.auth.keys-published.v1";

  /** Request: reply with the current {@code AuthKeys} ({@code GetKeys}); used by ingress in {@code start()}. */
  public static final String AUTH_GET_KEYS = "gw.control.auth.get-keys.v1";

  /**
   * Event: a token carried a {@code kid} the issuer's key set does not have; body is the issuer's configured name
   * (a string). Sent by ingress; the keys verticle refetches at most once per the issuer's {@code unknownKidCooldown}
   * and otherwise ignores it, so a flood of made-up kids costs the identity provider nothing.
   */
  public static final String AUTH_REFRESH_REQUESTED = "gw.control.auth.refresh-requested.v1";

  /** Event: the configured token issuers after a config reload ({@code IssuersConfigured}, local codec). */
  public static final String AUTH_ISSUERS_CONFIGURED = "gw.control.auth.issuers-configured.v1";

  private Addresses() {
  }
}
