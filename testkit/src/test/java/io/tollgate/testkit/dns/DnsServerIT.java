package io.tollgate.testkit.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.dns.DnsClient;
import io.vertx.core.dns.DnsClientOptions;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The test DNS server answers a real DNS client: A and AAAA records, NODATA, NXDOMAIN, answers that change. */
@ExtendWith(BlockedThreadGuard.class)
class DnsServerIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static Vertx vertx;
  private static DnsServer server;
  private static DnsClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server = DnsServer.start(vertx);
    client = vertx.createDnsClient(new DnsClientOptions().setHost("127.0.0.1").setPort(server.port())
        .setQueryTimeout(1000));
  }

  @AfterAll
  static void stop() {
    server.close();
    vertx.close();
  }

  @Test
  void answersARecordsAndAaaaRecordsAndFollowsChanges() {
    server.answer("svc.test", "10.0.0.1", "10.0.0.2", "fd00::1");
    assertThat(Await.result(client.resolveA("svc.test"), TIMEOUT)).containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2");
    assertThat(Await.result(client.resolveAAAA("SVC.test"), TIMEOUT)).hasSize(1)
        .allMatch(a -> a.startsWith("fd00:"));
    server.answer("svc.test", "10.0.0.3");
    assertThat(Await.result(client.resolveA("svc.test"), TIMEOUT)).containsExactly("10.0.0.3");
    assertThat(Await.result(client.resolveAAAA("svc.test"), TIMEOUT)).as("NODATA").isEmpty();
    assertThat(server.queries()).isGreaterThanOrEqualTo(4);
  }

  @Test
  void anUnknownNameIsNxdomain() {
    server.answer("gone.test", "10.0.0.9").forget("gone.test");
    assertThatThrownBy(() -> Await.result(client.resolveA("gone.test"), TIMEOUT)).hasStackTraceContaining("NXDOMAIN");
  }
}
