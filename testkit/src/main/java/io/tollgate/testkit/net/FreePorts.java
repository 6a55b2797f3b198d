package io.tollgate.testkit.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Free TCP ports on {@code 127.0.0.1}, for configuring a process that must be told its port before it starts
 * (a child JVM, a broker). Racy by nature — another process may take the port between this call and its use —
 * so prefer binding to port 0 and asking the server for its port whenever the server is ours.
 */
public final class FreePorts {

  private FreePorts() {}

  /** A port that was free on 127.0.0.1 a moment ago. Thread-safe. */
  public static int next() {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind an ephemeral port on 127.0.0.1", e);
    }
  }
}
