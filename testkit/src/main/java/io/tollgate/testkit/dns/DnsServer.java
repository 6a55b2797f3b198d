package io.tollgate.testkit.dns;

import io.tollgate.testkit.vertx.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real DNS server for tests: answers A and AAAA queries over UDP and TCP on {@code 127.0.0.1:<port>} (the same port
 * for both, as a real server) from a table the test changes at any time ({@link #answer}). Speaks just enough
 * RFC 1035: one question per query, answers with the question's name compressed ({@code 0xC00C}), a TTL per name
 * (default {@value #TTL_SECONDS} s), no EDNS in the reply. A name not in the table gets NXDOMAIN; a known name with
 * no record of the asked type gets an empty NOERROR answer (RFC 2308 "NODATA").
 *
 * <p>Over UDP a reply longer than 512 bytes (RFC 1035 §4.2.1; the client's EDNS payload size is ignored) or any reply
 * while {@link #truncateUdp} is on is sent truncated: the TC bit set, the question kept, no records (RFC 2181 §9),
 * so a client must ask again over TCP (RFC 7766), where messages carry a two-byte length prefix (RFC 1035 §4.2.2)
 * and are never truncated. {@link #close()} stops it: queries then go unanswered, as when a DNS server dies.
 */
public final class DnsServer implements AutoCloseable {

  /** TTL of every record (seconds): short, so that a caching resolver would not hide a change for long. */
  public static final int TTL_SECONDS = 1;

  private static final int TYPE_A = 1;
  private static final int TYPE_AAAA = 28;
  private static final int RCODE_NXDOMAIN = 3;
  private static final int RCODE_FORMERR = 1;
  private static final Duration LIFECYCLE_TIMEOUT = Duration.ofSeconds(10);
  /** The largest UDP reply without EDNS (RFC 1035 §4.2.1). */
  private static final int UDP_LIMIT = 512;

  private final DatagramSocket socket;
  private final NetServer tcp;
  private final Map<String, Entry> records = new ConcurrentHashMap<>();
  private final AtomicInteger queries = new AtomicInteger();
  private final AtomicInteger tcpQueries = new AtomicInteger();
  private volatile boolean truncateUdp;
  private volatile boolean closed;

  /** The records of one name and their TTL. */
  private record Entry(List<InetAddress> addresses, long ttlSeconds) {
  }

  private DnsServer(Vertx vertx) {
    this.socket = vertx.createDatagramSocket();
    this.tcp = vertx.createNetServer();
  }

  /**
   * Starts a server on {@code 127.0.0.1} and a free port (UDP and TCP).
   *
   * @throws IllegalStateException on an event-loop thread
   */
  public static DnsServer start(Vertx vertx) {
    for (int attempt = 0; ; attempt++) {
      DnsServer server = new DnsServer(vertx);
      server.socket.handler(server::onPacket);
      Await.result(server.socket.listen(0, "127.0.0.1"), LIFECYCLE_TIMEOUT);
      server.tcp.connectHandler(server::onConnection);
      try {
        // The TCP port must be the UDP one; another process may hold it: then take another UDP port.
        Await.result(server.tcp.listen(server.port(), "127.0.0.1"), LIFECYCLE_TIMEOUT);
        return server;
      } catch (RuntimeException e) {
        Await.result(server.socket.close(), LIFECYCLE_TIMEOUT);
        if (attempt >= 10) {
          throw e;
        }
      }
    }
  }

  /**
   * Makes {@code name} resolve to {@code addresses} (IPv4 literals for A, IPv6 literals for AAAA) from now on, with
   * TTL {@value #TTL_SECONDS} s; no addresses = the name exists but has no records.
   */
  public DnsServer answer(String name, String... addresses) {
    return answer(name, Duration.ofSeconds(TTL_SECONDS), addresses);
  }

  /** Like {@link #answer(String, String...)} with the records' TTL (whole seconds). */
  public DnsServer answer(String name, Duration ttl, String... addresses) {
    List<InetAddress> list = new java.util.ArrayList<>();
    for (String address : addresses) {
      try {
        list.add(InetAddress.getByName(address)); // literals only: no lookup
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IP literal: " + address, e);
      }
    }
    records.put(normalise(name), new Entry(List.copyOf(list), ttl.toSeconds()));
    return this;
  }

  /** While on, every UDP reply is truncated (TC bit, no records): clients must ask over TCP. */
  public DnsServer truncateUdp(boolean on) {
    truncateUdp = on;
    return this;
  }

  /** Forgets {@code name}: it gets NXDOMAIN from now on. */
  public DnsServer forget(String name) {
    records.remove(normalise(name));
    return this;
  }

  /** The port (UDP and TCP). */
  public int port() {
    return socket.localAddress().port();
  }

  /** {@code 127.0.0.1:<port>}, as a resolver's server setting. */
  public String address() {
    return "127.0.0.1:" + port();
  }

  /** Queries received so far over UDP and TCP (answered or not). */
  public int queries() {
    return queries.get();
  }

  /** Queries received so far over TCP. */
  public int tcpQueries() {
    return tcpQueries.get();
  }

  /** Stops answering and releases the port; idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Await.result(socket.close(), LIFECYCLE_TIMEOUT);
      Await.result(tcp.close(), LIFECYCLE_TIMEOUT);
    }
  }

  private void onPacket(DatagramPacket packet) {
    queries.incrementAndGet();
    Buffer reply = reply(packet.data());
    if (reply != null && !closed) {
      if (truncateUdp || reply.length() > UDP_LIMIT) {
        reply = truncated(reply);
      }
      socket.send(reply, packet.sender().port(), packet.sender().host());
    }
  }

  /** TCP: each message is preceded by its length (two bytes); several may come on one connection. */
  private void onConnection(NetSocket connection) {
    Buffer[] pending = {Buffer.buffer()};
    connection.handler(data -> {
      pending[0].appendBuffer(data);
      while (pending[0].length() >= 2 && pending[0].length() >= 2 + pending[0].getUnsignedShort(0)) {
        int length = pending[0].getUnsignedShort(0);
        Buffer query = pending[0].getBuffer(2, 2 + length);
        pending[0] = pending[0].getBuffer(2 + length, pending[0].length());
        queries.incrementAndGet();
        tcpQueries.incrementAndGet();
        Buffer reply = reply(query);
        if (reply != null && !closed) {
          connection.write(Buffer.buffer().appendUnsignedShort(reply.length()).appendBuffer(reply));
        }
      }
    });
  }

  /** {@code reply} with TC set and only its header and question (its counts of records zeroed). */
  private static Buffer truncated(Buffer reply) {
    int end = 12;
    while (reply.getUnsignedByte(end) != 0) {
      end += 1 + reply.getUnsignedByte(end);
    }
    end += 5; // the root label, type and class
    Buffer head = reply.getBuffer(0, end);
    head.setUnsignedShort(2, head.getUnsignedShort(2) | 0x0200);
    head.setUnsignedShort(6, 0);
    head.setUnsignedShort(8, 0);
    head.setUnsignedShort(10, 0);
    return head;
  }

  /** The response to {@code query}; null when it is too broken to answer at all. */
  Buffer reply(Buffer query) {
    if (query.length() < 12) {
      return null;
    }
    int flags = query.getUnsignedShort(2);
    int questions = query.getUnsignedShort(4);
    int end = 12;
    StringBuilder name = new StringBuilder();
    while (end < query.length() && query.getUnsignedByte(end) != 0) {
      int len = query.getUnsignedByte(end);
      if (len > 63 || end + 1 + len > query.length()) {
        return header(query, flags, RCODE_FORMERR, 0, 0);
      }
      name.append(name.length() == 0 ? "" : ".").append(query.getString(end + 1, end + 1 + len));
      end += 1 + len;
    }
    end += 1; // the root label
    if (questions != 1 || end + 4 > query.length()) {
      return header(query, flags, RCODE_FORMERR, 0, 0);
    }
    int type = query.getUnsignedShort(end);
    end += 4; // type and class
    Entry entry = records.get(normalise(name.toString()));
    if (entry == null) {
      return header(query, flags, RCODE_NXDOMAIN, 1, 0).appendBuffer(query.getBuffer(12, end));
    }
    List<InetAddress> matching = entry.addresses().stream()
        .filter(a -> (type == TYPE_A && a.getAddress().length == 4) || (type == TYPE_AAAA && a.getAddress().length == 16))
        .toList();
    Buffer reply = header(query, flags, 0, 1, matching.size()).appendBuffer(query.getBuffer(12, end));
    for (InetAddress address : matching) {
      byte[] bytes = address.getAddress();
      reply.appendUnsignedShort(0xC00C) // the question's name
          .appendUnsignedShort(type)
          .appendUnsignedShort(1) // IN
          .appendUnsignedInt(entry.ttlSeconds())
          .appendUnsignedShort(bytes.length)
          .appendBytes(bytes);
    }
    return reply;
  }

  private static Buffer header(Buffer query, int queryFlags, int rcode, int questions, int answers) {
    // QR, the query's opcode and RD, AA (authoritative), RA; RFC 1035 §4.1.1.
    int flags = 0x8000 | (queryFlags & 0x7800) | 0x0400 | (queryFlags & 0x0100) | 0x0080 | rcode;
    return Buffer.buffer()
        .appendUnsignedShort(query.getUnsignedShort(0))
        .appendUnsignedShort(flags)
        .appendUnsignedShort(questions)
        .appendUnsignedShort(answers)
        .appendUnsignedShort(0)
        .appendUnsignedShort(0);
  }

  private static String normalise(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }
}
