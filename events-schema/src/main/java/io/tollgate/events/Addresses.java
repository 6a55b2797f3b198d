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

  private Addresses() {
  }
}
