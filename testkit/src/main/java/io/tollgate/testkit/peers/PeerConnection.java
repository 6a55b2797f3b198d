package io.tollgate.testkit.peers;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One TCP connection accepted by an {@link UpstreamPeer}: its ordinal, and the requests whose bodies are still
 * being read on it. A request answered early ({@link Behaviour#respondBeforeBody()}) gets no stream event when
 * the client then hangs up, so the connection's close settles it. Confined to the connection's event loop.
 */
final class PeerConnection {

  private final int id;
  private final Set<RequestRecording> reading = new LinkedHashSet<>();

  PeerConnection(int id) {
    this.id = id;
  }

  /** Ordinal in accept order, starting at 1. */
  int id() {
    return id;
  }

  void startedReading(RequestRecording recording) {
    reading.add(recording);
  }

  void finishedReading(RequestRecording recording) {
    reading.remove(recording);
  }

  /** Marks every body still being read as aborted. */
  void closed() {
    List<RequestRecording> unfinished = new ArrayList<>(reading);
    unfinished.forEach(RequestRecording::connectionClosed);
  }
}
