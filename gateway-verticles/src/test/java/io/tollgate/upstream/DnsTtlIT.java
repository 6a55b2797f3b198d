package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.dns.DnsServer;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * DNS discovery follows the records' TTL against a real DNS server (UDP and TCP on 127.0.0.1): a TTL of 1 s is
 * looked up again about every second, a TTL of an hour is clamped to {@code maxTtl}, an answer too long for UDP is
 * completed over TCP (every address becomes a target), and a dead server is retried with a growing back-off while the
 * last good set keeps serving.
 */
@ExtendWith(BlockedThreadGuard.class)
class DnsTtlIT {

  private static final Duration WAIT = Duration.ofSeconds(10);
  /** 127.0.0.1 … 127.0.0.40: 40 A records make a 700-byte answer, over UDP's 512. */
  private static final int MANY = 40;

  private static Vertx vertx;
  private static DnsServer dns;
  private static final List<UpstreamPeer> peers = new ArrayList<>();
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    peers.add(UpstreamPeer.start(vertx, "127.0.0.1", 0));
    for (int i = 2; i <= MANY; i++) {
      peers.add(UpstreamPeer.start(vertx, "127.0.0.%d".formatted(i), peers.get(0).port()));
    }
    String[] many = new String[MANY];
    for (int i = 0; i < MANY; i++) {
      many[i] = "127.0.0." + (i + 1);
    }
    dns = DnsServer.start(vertx)
        .answer("short.tollgate.test", Duration.ofSeconds(1), "127.0.0.1")
        .answer("long.tollgate.test", Duration.ofHours(1), "127.0.0.1")
        .answer("many.tollgate.test", Duration.ofHours(1), many)
        .answer("dying.tollgate.test", Duration.ofSeconds(1), "127.0.0.1");
    gateway = TestGateway.start("""
        listener: { port: 0 }
        management: { port: 0 }
        services:
          short:
            discovery: { dns: { name: short.tollgate.test, port: "${port}", minTtl: 100ms, servers: [ "${dns}" ] } }
          long:
            discovery: { dns: { name: long.tollgate.test, port: "${port}", minTtl: 100ms, maxTtl: 1s, servers: [ "${dns}" ] } }
          many:
            loadBalancer: round-robin
            discovery: { dns: { name: many.tollgate.test, port: "${port}", servers: [ "${dns}" ] } }
        routes:
          - { id: long, path: /long/**, service: long, auth: public }
          - { id: many, path: /many/**, service: many, auth: public }
        """, Map.of("port", String.valueOf(peers.get(0).port()), "dns", dns.address()));
    Await.until(() -> resolved("short") == 1 && resolved("long") == 1 && resolved("many") > 0, WAIT,
        () -> "not resolved yet");
  }

  @AfterAll
  static void stop() {
    gateway.close();
    peers.forEach(UpstreamPeer::close);
    dns.close();
    vertx.close();
  }

  @Test
  void aOneSecondTtlIsLookedUpAgainAboutEverySecond() throws Exception {
    long before = lookups("short");
    Thread.sleep(4_000);
    long lookups = lookups("short") - before;
    assertThat(lookups).as("lookups in 4 s with TTL 1 s").isBetween(2L, 7L);
    JsonObject discovery = discovery("short");
    Duration ahead = Duration.between(java.time.Instant.parse(discovery.getString("lastLookup")),
        java.time.Instant.parse(discovery.getString("nextLookup")));
    assertThat(ahead).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void anHourLongTtlIsClampedToMaxTtlSoAChangeIsSeenWithinIt() {
    JsonObject discovery = discovery("long");
    assertThat(Duration.between(java.time.Instant.parse(discovery.getString("lastLookup")),
        java.time.Instant.parse(discovery.getString("nextLookup")))).isEqualTo(Duration.ofSeconds(1));
    dns.answer("long.tollgate.test", Duration.ofHours(1), "127.0.0.2");
    long changed = System.nanoTime();
    Await.until(() -> "127.0.0.2:%d".formatted(peers.get(0).port()).equals(
        gateway.serviceStatus("long").getJsonArray("targets").getJsonObject(0).getString("address")), WAIT,
        () -> "still " + gateway.serviceStatus("long"));
    assertThat((System.nanoTime() - changed) / 1_000_000).as("ms until the change was seen").isLessThan(3_000);
    int before = peers.get(1).requestCount();
    assertThat(gateway.get("/long/x").statusCode()).isEqualTo(200);
    assertThat(peers.get(1).requestCount()).isEqualTo(before + 1);
  }

  @Test
  void anAnswerTooLongForUdpIsCompletedOverTcpAndEveryAddressServes() {
    Await.until(() -> resolved("many") == MANY, WAIT, () -> "resolved " + resolved("many"));
    assertThat(dns.tcpQueries()).as("queries retried over TCP").isPositive();
    int[] before = peers.stream().mapToInt(UpstreamPeer::requestCount).toArray();
    for (int i = 0; i < MANY; i++) {
      assertThat(gateway.get("/many/" + i).statusCode()).isEqualTo(200);
    }
    for (int i = 0; i < MANY; i++) {
      assertThat(peers.get(i).requestCount()).as("127.0.0.%d served", i + 1).isEqualTo(before[i] + 1);
    }
  }

  @Test
  void aDeadServerIsRetriedWithAGrowingBackOffAndTheLastGoodSetStays() throws Exception {
    try (DnsServer own = DnsServer.start(vertx).answer("dying.tollgate.test", Duration.ofSeconds(1), "127.0.0.3");
        TestGateway dying = TestGateway.start("""
            listener: { port: 0 }
            management: { port: 0 }
            services:
              dying:
                discovery:
                  dns: { name: dying.tollgate.test, port: "${port}", minTtl: 200ms, maxTtl: 10s, timeout: 100ms, servers: [ "${dns}" ] }
            routes:
              - { id: dying, path: /dying/**, service: dying, auth: public }
            """, Map.of("port", String.valueOf(peers.get(0).port()), "dns", own.address()))) {
      Await.until(() -> resolvedIn(dying) == 1, WAIT, () -> "not resolved");
      own.close();
      Thread.sleep(3_500);
      JsonObject discovery = dying.serviceStatus("dying").getJsonObject("discovery");
      // 200 + 400 + 800 + 1600 ms (+ 100 ms timeouts): about 4 failures in 3.5 s, not one every 200 ms.
      assertThat(discovery.getInteger("failuresInARow")).as("" + discovery).isBetween(2, 6);
      assertThat(discovery.getString("lastOutcome")).isEqualTo("failed");
      assertThat(discovery.getInteger("resolved")).isEqualTo(1);
      int before = peers.get(2).requestCount();
      for (int i = 0; i < 5; i++) {
        assertThat(dying.get("/dying/" + i).statusCode()).isEqualTo(200);
      }
      assertThat(peers.get(2).requestCount()).isEqualTo(before + 5);
    }
  }

  private static JsonObject discovery(String service) {
    return gateway.serviceStatus(service).getJsonObject("discovery");
  }

  private static int resolved(String service) {
    return resolvedIn(gateway, service);
  }

  private static int resolvedIn(TestGateway gw) {
    return resolvedIn(gw, "dying");
  }

  private static int resolvedIn(TestGateway gw, String service) {
    return gw.serviceStatus(service).getJsonObject("discovery").getInteger("resolved");
  }

  private static long lookups(String service) {
    return gateway.counter(TargetDiscovery.DNS_RESOLUTIONS + ".unchanged." + service)
        + gateway.counter(TargetDiscovery.DNS_RESOLUTIONS + ".changed." + service);
  }
}
