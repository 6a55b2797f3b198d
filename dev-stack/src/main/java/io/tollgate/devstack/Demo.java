package io.tollgate.devstack;

import io.tollgate.bootstrap.Gateway;
import io.tollgate.config.ConfigLoader;
import io.tollgate.config.GatewayConfig;
import io.tollgate.testkit.auth.TokenIssuer;
import io.tollgate.testkit.kafka.KafkaBroker;
import java.time.Duration;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one-command demo: starts demo upstream services and the gateway in front of them with the bundled
 * {@code demo.yaml} (the two-services example plus streaming and WebSocket routes), then prints what to try.
 * Ctrl-C stops everything.
 *
 * <p>Environment: {@code GATEWAY_PORT} (default 8080). Kafka, the runner service, tokens and rate limits join
 * the demo as their features land.
 */
public final class Demo {

  private static final Logger LOG = LoggerFactory.getLogger("tollgate.demo");

  private Demo() {
  }

  public static void main(String[] args) throws Exception {
    KafkaBroker kafka = DemoOwnership.start();
    Vertx upstreams = Vertx.vertx();
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("SERVICE1_URL", url(await(DemoUpstreams.echoService(upstreams, "service1"))));
    env.put("SERVICE2_URL", url(await(DemoUpstreams.echoService(upstreams, "service2"))));
    env.put("TICKER_URL", url(await(DemoUpstreams.sseTicker(upstreams))));
    env.put("RUNNER_SERVICE_URL", url(await(DemoUpstreams.runner(upstreams))));
    env.put("WS_ECHO_URL", url(await(DemoUpstreams.webSocketEcho(upstreams))));
    env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
    TokenIssuer idp = TokenIssuer.start(upstreams);
    env.put("IDP_DISCOVERY", idp.discoveryUri());

    GatewayConfig config = ConfigLoader.parse(resource("/demo.yaml"), env);
    VertxOptions options = Gateway.options();
    Gateway gateway = await(Gateway.start(config, null, env, options));
    banner(gateway, kafka, idp.token().sub("alice").expiresIn(Duration.ofHours(8)).sign(),
        idp.token().sub("bob").expiresIn(Duration.ofHours(8)).sign());

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        gateway.shutdown().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        upstreams.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("demo did not stop cleanly", e);
      }
      LOG.info("demo stopped");
      stopped.countDown();
    }, "demo-shutdown"));
    stopped.await();
  }

  private static void banner(Gateway gateway, KafkaBroker kafka, String alice, String bob) {
    String base = "http://127.0.0.1:" + gateway.port();
    LOG.info("""

        ============================================================
         Tollgate demo is running: {}
        ------------------------------------------------------------
         routed call (prefix rewrite /api/service1 -> /api):
           curl -s {}/api/service1/orders?page=2
           curl -s {}/api/service2/users
         rate limit (3 per 10 s per client; the 4th gets 429 with Retry-After and RateLimit fields):
           for i in 1 2 3 4; do curl -s -o /dev/null -w '%{http_code} ' {}/api/service2/users; done
         streaming (server-sent events, piped as they come):
           curl -sN {}/api/ticker
         authenticated route (RS256 tokens from the demo's OIDC issuer, valid 8 h):
           ALICE={}
           BOB={}
           curl -s -H "Authorization: Bearer $ALICE" {}/api/me      # 200, the upstream sees X-User-Id: alice
           curl -si {}/api/me                                       # 401 + WWW-Authenticate: Bearer
         owner-only read (replica built from Kafka events: alice owns monitor 101, bob owns 202):
           curl -s -H "Authorization: Bearer $ALICE" '{}/api/v1/monitors/101/checks/?limit=3'   # the runner's JSON
           curl -si -H "Authorization: Bearer $BOB" {}/api/v1/monitors/101/checks/             # 404, as if unknown
         unknown route (RFC 9457 problem):
           curl -si {}/api/nope
         health and status:
           curl -s {}/readyz
           curl -s {}/api/gateway/services
         management (local only): curl -s http://127.0.0.1:{}/status
           Prometheus metrics:     curl -s http://127.0.0.1:{}/metrics | grep '^tollgate_requests_total'
         traces: 10 % of requests, each span a JSON line with "traceId" on this console (tracing.exporter: log);
           send traceparent: 00-<32 hex>-<16 hex>-01 to trace a request of your choice
         Kafka (single-node KRaft, child JVM): {}
           ownership facts published on tollgate.ownership.v1: alice owns monitor:101, bob owns monitor:202
         Ctrl-C stops everything.
        ============================================================""",
        base, base, base, base, base, alice, bob, base, base, base, base, base, base, base, gateway.managementPort(), gateway.managementPort(),
        kafka.bootstrapServers());
  }

  private static String url(HttpServer server) {
    return "http://127.0.0.1:" + server.actualPort();
  }

  private static String resource(String name) throws java.io.IOException {
    try (var in = Demo.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static <T> T await(io.vertx.core.Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
