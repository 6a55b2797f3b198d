package io.tollgate.auth.keys;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Local-only event-bus codec: {@link AuthKeys} are immutable, so the same instance is handed to every consumer in
 * the JVM without copying. Never sent over a clustered bus (encoding is refused): keys stay in the process.
 */
public final class AuthKeysCodec implements MessageCodec<AuthKeys, AuthKeys> {

  @Override
  public void encodeToWire(Buffer buffer, AuthKeys keys) {
    throw new UnsupportedOperationException("auth keys are local-only");
  }

  @Override
  public AuthKeys decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("auth keys are local-only");
  }

  @Override
  public AuthKeys transform(AuthKeys keys) {
    return keys;
  }

  @Override
  public String name() {
    return "tollgate-auth-keys";
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
