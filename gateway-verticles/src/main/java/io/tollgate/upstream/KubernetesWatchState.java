package io.tollgate.upstream;

/**
 * What the status page shows of one Kubernetes-discovered service's list/watch: its state, the resourceVersion it
 * has seen and how many EndpointSlices it holds. Written by the upstreams verticle's event loop, read by any thread.
 */
public final class KubernetesWatchState {

  /** States of the list/watch loop, as shown on {@code /status}. */
  public enum State {
    /** Listing the slices (first time, after a 410 Gone or a lost watch). */
    LISTING,
    /** A watch is open and up to date. */
    WATCHING,
    /** The last LIST or WATCH failed; waiting before the next try (the last good set stays). */
    BACKING_OFF;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  private volatile State state = State.LISTING;
  private volatile String resourceVersion;
  private volatile int slices;

  public String state() {
    return state.label();
  }

  /** The last resourceVersion seen (from a LIST, an event or a bookmark); null before the first LIST. */
  public String resourceVersion() {
    return resourceVersion;
  }

  /** EndpointSlices of the service currently held. */
  public int slices() {
    return slices;
  }

  void update(State next, String version, int sliceCount) {
    state = next;
    resourceVersion = version;
    slices = sliceCount;
  }
}
