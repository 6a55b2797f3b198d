package io.tollgate.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.peers.RecordedRequest;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sticky sessions with real peers: the same {@code X-User} always reaches the same target; when one of three
 * targets dies, only its users move (and they spread over the other two), nobody sees an error; a request without
 * the header is still served.
 */
@ExtendWith(BlockedThreadGuard.class)
class ConsistentHashIT {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final List<String> NAMES = List.of("c1", "c2", "c3");

  private static Vertx vertx;
  private static Peers peers;
  private static TestGateway gateway;
  private static final AtomicInteger sequence = new AtomicInteger();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    peers = Peers.start(vertx, NAMES.toArray(String[]::new));
    gateway = TestGateway.start("""
        listener: { port: 0 }
        management: { port: 0 }
        services:
          sticky:
            loadBalancer: { type: consistent-hash, hashOn: "header:X-User" }
            healthCheck: { path: /healthz, interval: 500ms, timeout: 500ms, unhealthyThreshold: 1 }
            retry: { attempts: 2, on: [ connect-failure ] }
            targets: [ "${c1}", "${c2}", "${c3}" ]
        routes:
          - { id: sticky, path: /sticky/**, service: sticky, auth: public }
        """, peers.env());
  }

  @AfterAll
  static void stop() {
    gateway.close();
    peers.close();
    vertx.close();
  }

  @Test
  void aUserKeepsItsTargetAndOnlyTheDeadTargetsUsersMove() {
    String alice = null;
    for (int i = 0; i < 200; i++) {
      String peer = send("alice");
      alice = alice == null ? peer : alice;
      assertThat(peer).as("request %d of alice", i).isEqualTo(alice);
    }

    Map<String, String> before = new HashMap<>();
    for (int u = 0; u < 90; u++) {
      before.put("user-" + u, send("user-" + u));
    }
    Map<String, Integer> perPeer = new HashMap<>();
    before.values().forEach(p -> perPeer.merge(p, 1, Integer::sum));
    assertThat(perPeer).as("users spread over the three targets").hasSize(3)
        .allSatisfy((p, n) -> assertThat(n).isBetween(15, 50));

    String dead = before.get("user-0");
    peers.get(dead).close();
    int index = NAMES.indexOf(dead);
    Await.until(() -> "unhealthy".equals(state(index)), WAIT, () -> dead + " still " + state(index));

    Map<String, Integer> receivers = new HashMap<>();
    for (Map.Entry<String, String> e : before.entrySet()) {
      String now = send(e.getKey());
      if (e.getValue().equals(dead)) {
        assertThat(now).isNotEqualTo(dead);
        receivers.merge(now, 1, Integer::sum);
      } else {
        assertThat(now).as("%s stays on %s", e.getKey(), e.getValue()).isEqualTo(e.getValue());
      }
    }
    assertThat(receivers).as("the dead target's users spread over both others").hasSize(2);

    HttpResponse<String> anonymous = gateway.get("/sticky/anonymous");
    assertThat(anonymous.statusCode()).as("no key: balanced as least-request").isEqualTo(200);
  }

  /** Sends one request as {@code user} and answers the name of the peer that served it. */
  private static String send(String user) {
    String path = "/sticky/" + user + "/" + sequence.incrementAndGet();
    HttpResponse<String> response = gateway.send(gateway.request(path).header("X-User", user).GET().build());
    assertThat(response.statusCode()).as(path).isEqualTo(200);
    for (String name : NAMES) {
      for (RecordedRequest r : peers.get(name).requests()) {
        if (r.path().equals(path)) {
          return name;
        }
      }
    }
    throw new AssertionError("no peer received " + path);
  }

  private static String state(int index) {
    return gateway.serviceStatus("sticky").getJsonArray("targets").getJsonObject(index).getString("state");
  }
}
