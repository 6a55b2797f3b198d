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

/**
 * The test DNS server answers a real DNS client: A and AAAA records, NODATA, NXDOMAIN, answers that change; and raw
 * sockets: TTLs per name, truncation of long UDP answers, the full answer over TCP.
 */
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
  void aLongAnswerIsTruncatedOverUdpAndCompleteOverTcpWithItsTtl() throws Exception {
    String[] many = new String[40];
    for (int i = 0; i < many.length; i++) {
      many[i] = "10.1.0." + (i + 1);
    }
    server.answer("many.test", Duration.ofSeconds(42), many).answer("few.test", Duration.ofSeconds(7), "10.0.0.1");
    byte[] query = query("many.test");
    try (java.net.DatagramSocket udp = new java.net.DatagramSocket()) {
      udp.setSoTimeout(5000);
      udp.send(new java.net.DatagramPacket(query, query.length, java.net.InetAddress.getLoopbackAddress(),
          server.port()));
      java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[2048], 2048);
      udp.receive(reply);
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(reply.getData(), 0, reply.getLength());
      assertThat(b.getShort(2) & 0x0200).as("TC").isNotZero();
      assertThat(b.getShort(6)).as("no records").isZero();
      assertThat(reply.getLength()).isLessThanOrEqualTo(512);

      byte[] few = query("few.test");
      udp.send(new java.net.DatagramPacket(few, few.length, java.net.InetAddress.getLoopbackAddress(), server.port()));
      udp.receive(reply);
      b = java.nio.ByteBuffer.wrap(reply.getData(), 0, reply.getLength());
      assertThat(b.getShort(2) & 0x0200).as("a short answer is not truncated").isZero();
      assertThat(b.getInt(12 + few.length - 12 + 6)).as("TTL").isEqualTo(7);
    }
    int tcpBefore = server.tcpQueries();
    try (java.net.Socket tcp = new java.net.Socket("127.0.0.1", server.port())) {
      tcp.setSoTimeout(5000);
      java.io.DataOutputStream out = new java.io.DataOutputStream(tcp.getOutputStream());
      out.writeShort(query.length);
      out.write(query);
      out.flush();
      java.io.DataInputStream in = new java.io.DataInputStream(tcp.getInputStream());
      byte[] reply = new byte[in.readUnsignedShort()];
      in.readFully(reply);
      java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(reply);
      assertThat(b.getShort(2) & 0x0200).as("TC").isZero();
      assertThat(b.getShort(6)).as("all 40 records").isEqualTo((short) 40);
      assertThat(b.getInt(query.length + 6)).as("TTL").isEqualTo(42);
    }
    assertThat(server.tcpQueries()).isEqualTo(tcpBefore + 1);
  }

  /** A query for the A records of {@code name} (RFC 1035 §4.1). */
  private static byte[] query(String name) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(new byte[] {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
    for (String label : name.split("\\.")) {
      out.write(label.length());
      out.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    out.writeBytes(new byte[] {0, 0, 1, 0, 1});
    return out.toByteArray();
  }

  @Test
  void anUnknownNameIsNxdomain() {
    server.answer("gone.test", "10.0.0.9").forget("gone.test");
    assertThatThrownBy(() -> Await.result(client.resolveA("gone.test"), TIMEOUT)).hasStackTraceContaining("NXDOMAIN");
  }
}
