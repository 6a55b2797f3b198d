package io.tollgate.websocket;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WebSocket meters of one gateway, labelled by route id (bounded by the config) and nothing per connection:
 * <ul>
 *   <li>{@code tollgate_websocket_connections_open{route}} — gauge of relayed WebSockets open now</li>
 *   <li>{@code tollgate_websocket_messages_total{route,direction}} — whole messages relayed;
 *       {@code direction} is {@code upstream} (client to upstream) or {@code downstream}</li>
 *   <li>{@code tollgate_websocket_bytes_total{route,direction}} — payload bytes relayed (frame payloads)</li>
 *   <li>{@code tollgate_websocket_closes_total{route,code,initiator}} — ended WebSockets by the first close code
 *       ({@link CloseCodes#label}; {@code 1006} = ended without a close frame) and who ended it: {@code client},
 *       {@code upstream} or {@code gateway} (limits, idle timeout, shutdown)</li>
 * </ul>
 * Thread-safe; per frame only lock-free counter increments on cached meters.
 */
final class WebSocketMeters {

  private final MeterRegistry registry;
  private final ConcurrentMap<String, Route> routes = new ConcurrentHashMap<>();

  WebSocketMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  Route route(String id) {
    Route route = routes.get(id);
    return route != null ? route : routes.computeIfAbsent(id, r -> new Route(registry, r));
  }

  /** Who ended a WebSocket. */
  enum Initiator {
    CLIENT, UPSTREAM, GATEWAY;

    final String label = name().toLowerCase(java.util.Locale.ROOT);
  }

  /** The meters of one route. */
  static final class Route {
    private final MeterRegistry registry;
    private final String id;
    private final AtomicInteger open = new AtomicInteger();
    final Counter messagesUp;
    final Counter messagesDown;
    final Counter bytesUp;
    final Counter bytesDown;

    private Route(MeterRegistry registry, String id) {
      this.registry = registry;
      this.id = id;
      Gauge.builder("tollgate.websocket.connections.open", open, AtomicInteger::get)
          .description("WebSockets relayed right now, by route").tag("route", id).register(registry);
      messagesUp = counter("tollgate.websocket.messages", "upstream", "Whole WebSocket messages relayed");
      messagesDown = counter("tollgate.websocket.messages", "downstream", "Whole WebSocket messages relayed");
      bytesUp = counter("tollgate.websocket.bytes", "upstream", "WebSocket payload bytes relayed");
      bytesDown = counter("tollgate.websocket.bytes", "downstream", "WebSocket payload bytes relayed");
    }

    private Counter counter(String name, String direction, String description) {
      return Counter.builder(name).description(description + ", by route and direction")
          .tag("route", id).tag("direction", direction).register(registry);
    }

    void opened() {
      open.incrementAndGet();
    }

    void closed(Initiator initiator, Short code) {
      open.decrementAndGet();
      // Once per socket: a lookup by tags here costs nothing next to the socket's lifetime.
      Counter.builder("tollgate.websocket.closes")
          .description("Ended WebSockets by route, first close code and initiator")
          .tag("route", id).tag("code", CloseCodes.label(code)).tag("initiator", initiator.label)
          .register(registry).increment();
    }
  }
}
