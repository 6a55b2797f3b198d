package io.tollgate.upstream;

import io.tollgate.testkit.peers.UpstreamPeer;
import io.vertx.core.Vertx;
import java.util.LinkedHashMap;
import java.util.Map;

/** Named upstream peers for a test class, with the {@code ${name}} → base URL map its gateway YAML refers to. */
final class Peers implements AutoCloseable {

  private final Map<String, UpstreamPeer> byName = new LinkedHashMap<>();
  private final Map<String, String> env = new LinkedHashMap<>();

  private Peers() {
  }

  static Peers start(Vertx vertx, String... names) {
    Peers peers = new Peers();
    for (String name : names) {
      UpstreamPeer peer = UpstreamPeer.start(vertx);
      peers.byName.put(name, peer);
      peers.env.put(name, peer.baseUrl());
    }
    return peers;
  }

  UpstreamPeer get(String name) {
    UpstreamPeer peer = byName.get(name);
    if (peer == null) {
      throw new IllegalArgumentException("no peer " + name);
    }
    return peer;
  }

  /** {@code name → base URL} of every peer; add more entries before starting the gateway. */
  Map<String, String> env() {
    return env;
  }

  @Override
  public void close() {
    byName.values().forEach(UpstreamPeer::close);
  }
}
