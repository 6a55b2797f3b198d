package io.tollgate.config;

import static io.tollgate.config.TestConfigs.route;
import static io.tollgate.config.TestConfigs.routeErrors;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebSocketBinderTest {

  @Test
  void routesProxyWebSocketsOnlyWithAWebSocketSectionAndAnEmptyOneMeansTheDefaults() throws ConfigException {
    assertThat(route("{ id: r, path: /, service: service1 }").websocket()).isNull();
    assertThat(route("{ id: r, path: /, service: service1, websocket: {} }").websocket())
        .isEqualTo(WebSocketConfig.DEFAULT);
    assertThat(WebSocketConfig.DEFAULT.tokenQueryParameter()).as("secure default: no token in URLs").isNull();
    assertThat(WebSocketConfig.DEFAULT.tokenSubprotocolPrefix()).isNull();
  }

  @Test
  void everyFieldBinds() throws ConfigException {
    WebSocketConfig ws = route("""
        { id: r, path: /, service: service1, websocket: { tokenQueryParameter: access_token,
          tokenSubprotocolPrefix: "bearer.", maxMessageSize: 64KiB, idleTimeout: 30s, maxConnections: 5,
          maxConnectionsPerClient: 0 } }""").websocket();
    assertThat(ws).isEqualTo(new WebSocketConfig("access_token", "bearer.", 65_536, Duration.ofSeconds(30), 5, 0));
  }

  @Test
  void invalidValuesAreReportedWithTheirPaths() {
    assertThat(routeErrors("""
          - id: r
            path: /
            service: service1
            websocket: { tokenQueryParameter: "a b", tokenSubprotocolPrefix: "x,y", maxMessageSize: 0,
                         maxConnections: -1, idleTimout: 1s }
        """)).containsExactlyInAnyOrder(
        "routes[0].websocket.tokenQueryParameter: invalid query parameter name 'a b'",
        "routes[0].websocket.tokenSubprotocolPrefix: invalid subprotocol prefix 'x,y' (expected token characters)",
        "routes[0].websocket.maxMessageSize: must be at least 1",
        "routes[0].websocket.maxConnections: must not be negative",
        "routes[0].websocket.idleTimout: unknown field (expected one of: tokenQueryParameter, tokenSubprotocolPrefix,"
            + " maxMessageSize, idleTimeout, maxConnections, maxConnectionsPerClient)");
  }

  @Test
  void streamIdleIsATimeoutOfServicesAndRoutes() throws ConfigException {
    GatewayConfig config = TestConfigs.parse("""
        services:
          s: { targets: [http://a], timeouts: { streamIdle: 2m } }
          t: { targets: [http://b] }
        routes:
          - { id: r, path: /, service: s, timeouts: { streamIdle: 10s } }
        """);
    assertThat(config.services().get("s").timeouts().streamIdle()).isEqualTo(Duration.ofMinutes(2));
    assertThat(config.services().get("t").timeouts().streamIdle()).isEqualTo(TimeoutsConfig.DEFAULT_STREAM_IDLE);
    assertThat(config.routes().get(0).timeouts().streamIdle()).isEqualTo(Duration.ofSeconds(10));
  }
}
