package io.tollgate.proxy;

import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.List;

/**
 * The set of peers (CIDR blocks) whose {@code X-Forwarded-*} / {@code Forwarded} headers are believed.
 * Immutable and shared by all event loops. Parsing happens at config load; lookups are allocation-light.
 */
public final class TrustedProxies {

  public static final TrustedProxies NONE = new TrustedProxies(List.of());

  private final List<Block> blocks;

  private TrustedProxies(List<Block> blocks) {
    this.blocks = List.copyOf(blocks);
  }

  /** Parses CIDRs ({@code 10.0.0.0/8}, {@code ::1/128}) or bare addresses; throws on bad syntax. */
  public static TrustedProxies parse(List<String> cidrs) {
    List<Block> blocks = new ArrayList<>();
    for (String cidr : cidrs) {
      blocks.add(Block.parse(cidr));
    }
    return blocks.isEmpty() ? NONE : new TrustedProxies(blocks);
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  /** True if {@code address} (a literal IP, as from {@code SocketAddress.hostAddress()}) is in any block. */
  public boolean contains(String address) {
    if (blocks.isEmpty() || address == null) {
      return false;
    }
    byte[] bytes = literalBytes(address);
    if (bytes == null) {
      return false;
    }
    for (Block b : blocks) {
      if (b.contains(bytes)) {
        return true;
      }
    }
    return false;
  }

  private static byte[] literalBytes(String address) {
    // Strict literals only (no name is ever resolved), parsed without InetAddress: this runs per request.
    if (!NetUtil.isValidIpV4Address(address) && !NetUtil.isValidIpV6Address(address)) {
      return null;
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(address);
    return bytes != null && isIpv4Mapped(bytes) ? java.util.Arrays.copyOfRange(bytes, 12, 16) : bytes;
  }

  /** {@code ::ffff:a.b.c.d} is the IPv4 address a.b.c.d (RFC 4291 §2.5.5.2), as InetAddress treats it. */
  private static boolean isIpv4Mapped(byte[] bytes) {
    if (bytes.length != 16 || bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
      return false;
    }
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }


  private record Block(byte[] network, int prefix) {

    static Block parse(String cidr) {
      int slash = cidr.indexOf('/');
      String addr = slash < 0 ? cidr : cidr.substring(0, slash);
      byte[] bytes = literalBytes(addr.trim());
      if (bytes == null) {
        throw new IllegalArgumentException("not an IP address: '" + addr + "'");
      }
      // InetAddress folds ::ffff:a.b.c.d to its IPv4 address, but the prefix still counts all 128 bits.
      int offset = bytes.length == 4 && addr.indexOf(':') >= 0 ? 96 : 0;
      int max = offset + bytes.length * 8;
      int prefix = slash < 0 ? max : Integer.parseInt(cidr.substring(slash + 1).trim());
      if (prefix < offset || prefix > max) {
        throw new IllegalArgumentException("prefix length must be " + offset + ".." + max + ": '" + cidr + "'");
      }
      return new Block(bytes, prefix - offset);
    }

    boolean contains(byte[] candidate) {
      if (candidate.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (candidate[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (candidate[full] & mask) == (network[full] & mask);
    }
  }
}
