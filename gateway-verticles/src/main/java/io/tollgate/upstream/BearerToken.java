package io.tollgate.upstream;

import io.tollgate.config.KubernetesDiscoveryConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * A service-account token read from a file (asynchronously, never on the event loop's time), cached for
 * {@link KubernetesDiscoveryConfig#TOKEN_REREAD}: kubelet rewrites projected tokens well before they expire, so a
 * re-read every minute follows rotation (as client-go does). Confined to one event loop.
 */
final class BearerToken {

  private final Vertx vertx;
  private final String file;
  private String token;
  private long readAtNanos;

  /** @param file the token file; empty = no token (requests go without {@code Authorization}) */
  BearerToken(Vertx vertx, String file) {
    this.vertx = vertx;
    this.file = file;
  }

  /** The token (null when there is no file); a failed read falls back to the last token, if any. */
  Future<String> get() {
    if (file.isEmpty()) {
      return Future.succeededFuture(null);
    }
    if (token != null && System.nanoTime() - readAtNanos < KubernetesDiscoveryConfig.TOKEN_REREAD.toNanos()) {
      return Future.succeededFuture(token);
    }
    return vertx.fileSystem().readFile(file).map(buffer -> {
      token = buffer.toString().trim();
      readAtNanos = System.nanoTime();
      return token;
    }).recover(e -> token != null ? Future.succeededFuture(token)
        : Future.failedFuture(new IllegalStateException("cannot read token file " + file + ": " + e.getMessage(), e)));
  }

  /** Forces a re-read on the next {@link #get} (after a 401: the token may have rotated). */
  void expire() {
    readAtNanos = System.nanoTime() - KubernetesDiscoveryConfig.TOKEN_REREAD.toNanos();
  }
}
