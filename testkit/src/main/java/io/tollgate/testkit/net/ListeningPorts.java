package io.tollgate.testkit.net;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;

/**
 * Waits for a listening socket on {@code 127.0.0.1} to be really gone.
 *
 * <p>Why: on Vert.x 5.0.8 the future of {@code NetServer.close()} / {@code HttpServer.close()} can complete while
 * the listening socket is still open — measured here, a connect right after the close was accepted and then reset
 * in 20 % (HTTP) to 65 % (TCP) of tries instead of being refused. A test that asserts "connection refused" needs
 * the socket closed for real.
 */
public final class ListeningPorts {

  private ListeningPorts() {}

  /**
   * Returns once nothing listens on {@code 127.0.0.1:port}, probing by binding the port (which Linux refuses
   * while a listener exists, even with SO_REUSEADDR) and releasing it at once; never connects to the port.
   * Blocks: call from test threads.
   *
   * @throws AssertionError when something still listens after {@code timeout}
   */
  public static void awaitClosed(int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!bindable(port)) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("127.0.0.1:" + port + " is still listening " + timeout + " after close");
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for port " + port + " to close", e);
      }
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
