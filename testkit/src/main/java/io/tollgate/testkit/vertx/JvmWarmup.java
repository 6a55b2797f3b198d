package io.tollgate.testkit.vertx;

import io.netty.buffer.ByteBufAllocator;

/**
 * One-time JVM initialisations that would otherwise run inside the first event-loop task of a test JVM and
 * trip {@link BlockedThreadGuard} although no code under test blocks. Runs them once, on the calling (test)
 * thread.
 */
final class JvmWarmup {

  private static boolean done;

  private JvmWarmup() {}

  static synchronized void run() {
    if (done) {
      return;
    }
    done = true;
    // Netty 4.2's adaptive allocator registers a JFR event type when it allocates its first chunk, which
    // initialises JFR's metadata: 250-270 ms measured on these 2-core machines, inside Vert.x's first read.
    ByteBufAllocator.DEFAULT.directBuffer(1024).release();
    ByteBufAllocator.DEFAULT.heapBuffer(1024).release();
  }
}
