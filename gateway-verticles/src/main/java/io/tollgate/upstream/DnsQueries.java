package io.tollgate.upstream;

import io.netty.channel.AddressedEnvelope;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.NoopAuthoritativeDnsServerCache;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SingletonDnsServerAddressStreamProvider;
import io.tollgate.config.DnsDiscoveryConfig;
import io.vertx.core.Future;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.core.spi.transport.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw A and AAAA queries of one discovered service, with the records' TTLs, through Netty's {@link DnsNameResolver}
 * on the owning verticle's event loop (its channels are registered there; nothing blocks). Vert.x's
 * {@code DnsClient} hides TTLs and never retries a truncated answer; this resolver does both: an answer with the
 * TC bit is asked again over TCP (RFC 7766 §5), on a channel of the same Vert.x transport (NIO or native).
 *
 * <p>Every cache of the resolver is a no-op, so each lookup reaches the server and a changed TTL is seen at once.
 * A query is sent to the given server only (no search domains, no other server): the caller walks its server list.
 * Futures complete on the verticle's context. Not thread-safe: use it from that context only.
 */
final class DnsQueries implements AutoCloseable {

  /** A successful lookup: the addresses of both answers (possibly none) and their smallest TTL (seconds). */
  record Answer(List<String> addresses, long minTtlSeconds) {
  }

  private final ContextInternal context;
  private final DnsNameResolver resolver;
  private final List<InetSocketAddress> servers = new ArrayList<>();

  DnsQueries(ContextInternal context, DnsDiscoveryConfig config) {
    this.context = context;
    Transport transport = context.owner().transport();
    for (DnsDiscoveryConfig.Server server : config.servers()) {
      servers.add(new InetSocketAddress(literal(server.host()), server.port()));
    }
    if (servers.isEmpty()) {
      // The system's first name server (/etc/resolv.conf), as Vert.x's own client uses it.
      servers.add(DnsServerAddressStreamProviders.platformDefault().nameServerAddressStream("").next());
    }
    this.resolver = new DnsNameResolverBuilder(context.nettyEventLoop())
        .datagramChannelFactory(transport::datagramChannel)
        // With a socket channel factory the resolver retries a truncated UDP answer over TCP.
        .socketChannelFactory(() -> (io.netty.channel.socket.SocketChannel) transport.channelFactory(false)
            .newChannel())
        .queryTimeoutMillis(config.timeout().toMillis())
        .resolveCache(NoopDnsCache.INSTANCE)
        .cnameCache(NoopDnsCnameCache.INSTANCE)
        .authoritativeDnsServerCache(NoopAuthoritativeDnsServerCache.INSTANCE)
        .nameServerProvider(new SingletonDnsServerAddressStreamProvider(servers.get(0)))
        .recursionDesired(true)
        .build();
  }

  /** How many servers {@link #lookup} can be asked. */
  int servers() {
    return servers.size();
  }

  /** The {@code i}-th server, for error messages. */
  InetSocketAddress server(int i) {
    return servers.get(i);
  }

  /**
   * Asks server {@code i} for the A and AAAA records of {@code name}. Fails on a timeout, an unreachable server or
   * an rcode other than NOERROR (NXDOMAIN, SERVFAIL, …); a NOERROR answer without records is an empty answer.
   */
  Future<Answer> lookup(int i, String name) {
    InetSocketAddress server = servers.get(i);
    Future<Answer> a = query(server, name, DnsRecordType.A);
    Future<Answer> aaaa = query(server, name, DnsRecordType.AAAA);
    return Future.all(a, aaaa).map(all -> {
      List<String> addresses = new ArrayList<>(a.result().addresses());
      addresses.addAll(aaaa.result().addresses());
      return new Answer(addresses, Math.min(a.result().minTtlSeconds(), aaaa.result().minTtlSeconds()));
    });
  }

  private Future<Answer> query(InetSocketAddress server, String name, DnsRecordType type) {
    PromiseInternal<AddressedEnvelope<DnsResponse, InetSocketAddress>> promise = context.promise();
    resolver.query(server, new DefaultDnsQuestion(name + ".", type)).addListener(promise);
    return promise.future().map(envelope -> {
      try {
        return answer(envelope.content(), type);
      } finally {
        envelope.release();
      }
    });
  }

  /** The addresses of {@code type} in the answer section; TTL {@code Long.MAX_VALUE} when there is none. */
  private static Answer answer(DnsResponse response, DnsRecordType type) {
    if (!DnsResponseCode.NOERROR.equals(response.code())) {
      throw new IllegalStateException(type.name() + " query answered " + response.code().toString());
    }
    List<String> addresses = new ArrayList<>();
    long ttl = Long.MAX_VALUE;
    for (int i = 0, n = response.count(DnsSection.ANSWER); i < n; i++) {
      DnsRecord record = response.recordAt(DnsSection.ANSWER, i);
      if (record.type().equals(type) && record instanceof DnsRawRecord raw) {
        byte[] bytes = new byte[raw.content().readableBytes()];
        raw.content().getBytes(raw.content().readerIndex(), bytes);
        try {
          addresses.add(InetAddress.getByAddress(bytes).getHostAddress());
          ttl = Math.min(ttl, record.timeToLive());
        } catch (UnknownHostException e) {
          // A record of the wrong length: skipped, as DnsAnswers skips unparsable entries.
        }
      }
    }
    return new Answer(addresses, ttl);
  }

  private static InetAddress literal(String ip) {
    try {
      return InetAddress.getByName(ip); // an IP literal (checked by the config binder): no lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP literal: " + ip, e);
    }
  }

  @Override
  public void close() {
    resolver.close();
  }
}
