package io.tollgate.websocket;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The node-wide WebSocket state shared by every ingress instance: connection counts for the limits and the
 * meters. One per gateway (in {@code GatewayState}); thread-safe.
 */
public final class WebSocketNode {

  private final ConnectionLimits limits = new ConnectionLimits();
  private final WebSocketMeters meters;

  public WebSocketNode(MeterRegistry registry) {
    this.meters = new WebSocketMeters(registry);
  }

  ConnectionLimits limits() {
    return limits;
  }

  WebSocketMeters meters() {
    return meters;
  }
}
