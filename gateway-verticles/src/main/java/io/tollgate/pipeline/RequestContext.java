package io.tollgate.pipeline;

import io.tollgate.routing.CompiledRoute;
import io.tollgate.routing.PathParams;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Everything known about one request while it crosses the gateway.
 *
 * <p>Confined to the event loop that accepted the request: not thread-safe, never shared. Fields are filled in
 * recipe order (request id and start time first, route after matching, upstream facts by the proxy) and read by
 * the access log at the end.
 */
public final class RequestContext {

  private final HttpServerRequest request;
  private final String requestId;
  private final long startNanos;
  private final Object[] attributes = new Object[8];

  private String normalizedPath;
  private CompiledRoute route;
  private PathParams params = PathParams.EMPTY;
  private String upstream;
  private long upstreamHeadersNanos = -1;
  private long upstreamConnectNanos = -1;
  private String rejection;
  private boolean finished;
  private boolean clientGone;
  private Runnable onClientGone;
  private Deadlines.Deadline responseTimer;
  private java.util.List<String> upstreamHeaders;
  private java.util.List<Runnable> finishActions;
  private String notes;

  public RequestContext(HttpServerRequest request, String requestId, long startNanos) {
    this.request = request;
    this.requestId = requestId;
    this.startNanos = startNanos;
  }

  public HttpServerRequest request() {
    return request;
  }

  public HttpServerResponse response() {
    return request.response();
  }

  /** The id returned in {@code X-Request-Id} and in every problem body's {@code instance}. */
  public String requestId() {
    return requestId;
  }

  /** {@link System#nanoTime()} when the request headers were handed to the gateway. */
  public long startNanos() {
    return startNanos;
  }

  /** The canonical path (see {@code PathNormalizer}); null until normalised or when the path was invalid. */
  public String normalizedPath() {
    return normalizedPath;
  }

  public void normalizedPath(String path) {
    this.normalizedPath = path;
  }

  /** The matched route; null before matching or when nothing matched. */
  public CompiledRoute route() {
    return route;
  }

  public PathParams params() {
    return params;
  }

  public void matched(CompiledRoute route, PathParams params) {
    this.route = route;
    this.params = params;
  }

  /** {@code host:port} of the chosen upstream target, for the access log; null if none was chosen. */
  public String upstream() {
    return upstream;
  }

  public void upstream(String hostAndPort) {
    this.upstream = hostAndPort;
  }

  /** Nanoseconds from start until the upstream's response headers arrived; -1 if they never did. */
  public long upstreamHeadersNanos() {
    return upstreamHeadersNanos;
  }

  /** Nanoseconds the last attempt waited for an upstream connection (pool wait plus connect); -1 if none. */
  public long upstreamConnectNanos() {
    return upstreamConnectNanos;
  }

  public void upstreamConnected(long waitedNanos) {
    this.upstreamConnectNanos = waitedNanos;
  }

  public void upstreamHeadersReceived(long nowNanos) {
    this.upstreamHeadersNanos = nowNanos - startNanos;
  }

  /** The slug of the problem the gateway answered with, or of the abort reason; null when proxied cleanly. */
  public String rejection() {
    return rejection;
  }

  public void rejection(String slug) {
    if (rejection == null) {
      this.rejection = slug;
    }
  }

  /**
   * Marks the request finished and runs the {@link #onFinish} actions; returns true only for the first call (so it
   * is logged exactly once and every action runs exactly once).
   */
  public boolean finish() {
    if (finished) {
      return false;
    }
    finished = true;
    if (finishActions != null) {
      for (Runnable action : finishActions) {
        try {
          action.run();
        } catch (RuntimeException e) {
          org.slf4j.LoggerFactory.getLogger(RequestContext.class)
              .error("a finish action of request {} failed", requestId, e);
        }
      }
    }
    return true;
  }

  /**
   * Runs {@code action} once when the request is over: its response ended, or the client went away (e.g. to
   * release a concurrency slot). Actions run in registration order on the request's event loop; an action
   * registered after the request is already over (the client left while an asynchronous policy was deciding)
   * runs at once.
   */
  public void onFinish(Runnable action) {
    if (finished) {
      action.run();
      return;
    }
    if (finishActions == null) {
      finishActions = new java.util.ArrayList<>(2);
    }
    finishActions.add(action);
  }

  /** Notes policies left for the access log (e.g. a shadow rate-limit denial), space-separated; null if none. */
  public String notes() {
    return notes;
  }

  public void note(String note) {
    notes = notes == null ? note : notes + ' ' + note;
  }

  /** True once the client connection closed before the response was complete. */
  public boolean clientGone() {
    return clientGone;
  }

  /** Registers what to abort (e.g. the upstream request) if the client goes away; replaces earlier actions. */
  public void onClientGone(Runnable action) {
    this.onClientGone = action;
  }

  /** Called by the ingress when the client connection closed before the response ended. */
  public void clientClosed() {
    if (clientGone) {
      return;
    }
    clientGone = true;
    rejection("client-closed");
    if (onClientGone != null) {
      onClientGone.run();
    }
  }

  /** Remembers the upstream response timer so the response (or an abort) can cancel it. */
  public void responseTimer(Deadlines.Deadline deadline) {
    this.responseTimer = deadline;
  }

  /** Cancels the upstream response timer, if one is armed. */
  public void cancelResponseTimer() {
    if (responseTimer != null) {
      responseTimer.cancel();
      responseTimer = null;
    }
  }

  /**
   * Adds a header that the proxy sets on the upstream request (e.g. a verified claim as {@code X-User-Id}). The
   * route must list the name among the headers it never copies from the client, so a client cannot pre-set it.
   */
  public void setUpstreamHeader(String name, String value) {
    if (upstreamHeaders == null) {
      upstreamHeaders = new java.util.ArrayList<>(4);
    }
    upstreamHeaders.add(name);
    upstreamHeaders.add(value);
  }

  /** Headers added with {@link #setUpstreamHeader}, as name, value, name, value…; empty when none. */
  public java.util.List<String> upstreamHeaders() {
    return upstreamHeaders == null ? java.util.List.of() : upstreamHeaders;
  }

  @SuppressWarnings("unchecked")
  public <T> T get(AttributeKey<T> key) {
    int i = key.index();
    return i < attributes.length ? (T) attributes[i] : null;
  }

  public <T> void put(AttributeKey<T> key, T value) {
    if (key.index() >= attributes.length) {
      throw new IllegalStateException("too many attribute keys; raise RequestContext capacity for " + key);
    }
    attributes[key.index()] = value;
  }
}
