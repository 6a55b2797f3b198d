package io.tollgate.testkit.dns;

import io.tollgate.testkit.vertx.Await;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramPacket;
import io.vertx.core.datagram.DatagramSocket;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real DNS server for tests: answers A and AAAA queries over UDP on {@code 127.0.0.1:<port>} from a table the test
 * changes at any time ({@link #answer}). Speaks just enough RFC 1035: one question per query, answers with the
 * question's name compressed ({@code 0xC00C}), TTL {@value #TTL_SECONDS} s, no EDNS in the reply. A name not in the
 * table gets NXDOMAIN; a known name with no record of the asked type gets an empty NOERROR answer (RFC 2308
 * "NODATA"). {@link #close()} stops it: queries then go unanswered, as when a DNS server dies.
 */
public final class DnsServer implements AutoCloseable {

  /** TTL of every record (seconds): short, so that a caching resolver would not hide a change for long. */
  public static final int TTL_SECONDS = 1;

  private static final int TYPE_A = 1;
  private static final int TYPE_AAAA = 28;
  private static final int RCODE_NXDOMAIN = 3;
  private static final int RCODE_FORMERR = 1;
  private static final Duration LIFECYCLE_TIMEOUT = Duration.ofSeconds(10);

  private final DatagramSocket socket;
  private final Map<String, List<InetAddress>> records = new ConcurrentHashMap<>();
  private final AtomicInteger queries = new AtomicInteger();
  private volatile boolean closed;

  private DnsServer(Vertx vertx) {
    this.socket = vertx.createDatagramSocket();
  }

  /**
   * Starts a server on {@code 127.0.0.1} and a free UDP port.
   *
   * @throws IllegalStateException on an event-loop thread
   */
  public static DnsServer start(Vertx vertx) {
    DnsServer server = new DnsServer(vertx);
    server.socket.handler(server::onPacket);
    Await.result(server.socket.listen(0, "127.0.0.1"), LIFECYCLE_TIMEOUT);
    return server;
  }

  /**
   * Makes {@code name} resolve to {@code addresses} (IPv4 literals for A, IPv6 literals for AAAA) from now on; no
   * addresses = the name exists but has no records.
   */
  public DnsServer answer(String name, String... addresses) {
    List<InetAddress> list = new java.util.ArrayList<>();
    for (String address : addresses) {
      try {
        list.add(InetAddress.getByName(address)); // literals only: no lookup
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IP literal: " + address, e);
      }
    }
    records.put(normalise(name), List.copyOf(list));
    return this;
  }

  /** Forgets {@code name}: it gets NXDOMAIN from now on. */
  public DnsServer forget(String name) {
    records.remove(normalise(name));
    return this;
  }

  /** The UDP port. */
  public int port() {
    return socket.localAddress().port();
  }

  /** {@code 127.0.0.1:<port>}, as a resolver's server setting. */
  public String address() {
    return "127.0.0.1:" + port();
  }

  /** Queries received so far (answered or not). */
  public int queries() {
    return queries.get();
  }

  /** Stops answering and releases the port; idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Await.result(socket.close(), LIFECYCLE_TIMEOUT);
    }
  }

  private void onPacket(DatagramPacket packet) {
    queries.incrementAndGet();
    Buffer reply = reply(packet.data());
    if (reply != null && !closed) {
      socket.send(reply, packet.sender().port(), packet.sender().host());
    }
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
    List<InetAddress> all = records.get(normalise(name.toString()));
    if (all == null) {
      return header(query, flags, RCODE_NXDOMAIN, 1, 0).appendBuffer(query.getBuffer(12, end));
    }
    List<InetAddress> matching = all.stream()
        .filter(a -> (type == TYPE_A && a.getAddress().length == 4) || (type == TYPE_AAAA && a.getAddress().length == 16))
        .toList();
    Buffer reply = header(query, flags, 0, 1, matching.size()).appendBuffer(query.getBuffer(12, end));
    for (InetAddress address : matching) {
      byte[] bytes = address.getAddress();
      reply.appendUnsignedShort(0xC00C) // the question's name
          .appendUnsignedShort(type)
          .appendUnsignedShort(1) // IN
          .appendInt(TTL_SECONDS)
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
