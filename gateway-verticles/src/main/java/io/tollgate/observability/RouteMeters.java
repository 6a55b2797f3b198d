package io.tollgate.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The request meters of one route label value, created once and cached by {@link GatewayMetrics}, so recording a
 * request costs no map lookup of a composed name: {@code tollgate_requests_total{route,method,status_class}}
 * (one counter per method × status class, created when first seen), {@code tollgate_request_duration_seconds{route}}
 * and, for real routes, {@code tollgate_requests_in_flight{route}}. Thread-safe: every event loop records into the
 * same instance.
 */
final class RouteMeters {

  /** Method label values; anything else is {@code OTHER}, so a client cannot mint label values. */
  static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT",
      "OTHER"};
  /** Status class label values; {@code none} = no response head was sent (the client or a stream broke off). */
  static final String[] STATUS_CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};

  /** Latency SLO buckets (the alert threshold of 150 ms is one of them). */
  static final Duration[] SLO_BUCKETS = {
      Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(150), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};

  private final MeterRegistry registry;
  private final String route;
  private final HistogramFamily.Child duration;
  private final LongAdder inFlight;
  private final AtomicReferenceArray<Counter> requests =
      new AtomicReferenceArray<>(METHODS.length * STATUS_CLASSES.length);

  /** {@code tollgate_request_duration_seconds{route}}: one family for every route of a gateway. */
  static HistogramFamily durations() {
    return new HistogramFamily("tollgate_request_duration_seconds",
        "Time from request headers to the end of the response, by route", "route", SLO_BUCKETS);
  }

  /**
   * @param durations      the gateway's {@link #durations()} family
   * @param tracksInFlight register the in-flight gauge (real routes; not {@code none} or {@code gateway})
   */
  RouteMeters(MeterRegistry registry, HistogramFamily durations, String route, boolean tracksInFlight) {
    this.registry = registry;
    this.route = route;
    this.duration = durations.child(route);
    if (tracksInFlight) {
      inFlight = new LongAdder();
      Gauge.builder("tollgate.requests.in_flight", inFlight, LongAdder::sum)
          .description("Requests matched to the route and not finished yet")
          .tag("route", route)
          .register(registry);
    } else {
      inFlight = null;
    }
  }

  /** Removes every meter of this route from the registry (the route left the config; its duration histogram is
   * dropped by the family). */
  void remove() {
    registry.find("tollgate.requests.in_flight").tag("route", route).meters().forEach(registry::remove);
    for (int i = 0; i < requests.length(); i++) {
      Counter counter = requests.get(i);
      if (counter != null) {
        registry.remove(counter);
      }
    }
  }

  String route() {
    return route;
  }

  boolean tracksInFlight() {
    return inFlight != null;
  }

  void started() {
    inFlight.increment();
  }

  /**
   * Records a finished request.
   *
   * @param status      the response status, or 0 when no response head was sent
   * @param wasInFlight whether {@link #started()} counted it
   */
  void finished(HttpMethod method, int status, long durationNanos, boolean wasInFlight) {
    if (wasInFlight) {
      inFlight.decrement();
    }
    duration.record(durationNanos);
    int slot = methodIndex(method) * STATUS_CLASSES.length + statusClassIndex(status);
    Counter counter = requests.get(slot);
    if (counter == null) {
      // Racing event loops get the same counter back from the registry; the loser's write is harmless.
      counter = Counter.builder("tollgate.requests")
          .description("Requests answered (or aborted), by route, method and status class")
          .tag("route", route)
          .tag("method", METHODS[slot / STATUS_CLASSES.length])
          .tag("status_class", STATUS_CLASSES[slot % STATUS_CLASSES.length])
          .register(registry);
      requests.set(slot, counter);
    }
    counter.increment();
  }

  static int methodIndex(HttpMethod method) {
    return switch (method == null ? "" : method.name()) {
      case "GET" -> 0;
      case "HEAD" -> 1;
      case "POST" -> 2;
      case "PUT" -> 3;
      case "DELETE" -> 4;
      case "PATCH" -> 5;
      case "OPTIONS" -> 6;
      case "TRACE" -> 7;
      case "CONNECT" -> 8;
      default -> 9;
    };
  }

  static int statusClassIndex(int status) {
    int c = status / 100;
    return status >= 100 && c <= 5 ? c : 0;
  }
}
