package io.tollgate.sync;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Local-only event-bus codec for immutable control-plane values (config snapshots, key sets): the same instance
 * is handed to every consumer in the JVM without copying. Never sent over a clustered bus — encoding is refused,
 * so nothing (keys included) leaves the process this way.
 *
 * @param <T> an immutable type
 */
public final class LocalCodec<T> implements MessageCodec<T, T> {

  private final String name;

  /** @param name unique codec name, e.g. {@code tollgate-config-snapshot} */
  public LocalCodec(String name) {
    this.name = name;
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    throw new UnsupportedOperationException(name + " values are local-only");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(name + " values are local-only");
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
