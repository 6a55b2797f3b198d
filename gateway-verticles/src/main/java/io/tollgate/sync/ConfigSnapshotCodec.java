package io.tollgate.sync;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Local-only event-bus codec: snapshots are immutable, so the same instance is handed to every consumer in the
 * JVM without copying. Never sent over a clustered bus (encoding is refused).
 */
public final class ConfigSnapshotCodec implements MessageCodec<ConfigSnapshot, ConfigSnapshot> {

  @Override
  public void encodeToWire(Buffer buffer, ConfigSnapshot snapshot) {
    throw new UnsupportedOperationException("config snapshots are local-only");
  }

  @Override
  public ConfigSnapshot decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("config snapshots are local-only");
  }

  @Override
  public ConfigSnapshot transform(ConfigSnapshot snapshot) {
    return snapshot;
  }

  @Override
  public String name() {
    return "tollgate-config-snapshot";
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
