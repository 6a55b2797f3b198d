package io.tollgate.config;

import java.util.Locale;

/** IP literals and CIDR blocks, parsed without DNS (unlike {@link java.net.InetAddress#getByName}). */
final class IpAddresses {

  private IpAddresses() {
  }

  /** The 4 or 16 address bytes of an IPv4 or IPv6 literal (no brackets, no zone), or null. */
  static byte[] parse(String text) {
    return text.indexOf(':') >= 0 ? parseV6(text) : parseV4(text);
  }

  /** {@code 0.0.0.0} or {@code ::}: binds every interface. */
  static boolean isWildcard(String host) {
    byte[] address = parse(host);
    if (address == null) {
      return false;
    }
    for (byte b : address) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Validates a CIDR block or a bare address (taken as {@code /32} or {@code /128}) and returns it in
   * {@code address/prefix} form.
   *
   * @throws IllegalArgumentException with a user-facing message
   */
  static String normalizeCidr(String text) {
    String t = text.strip().toLowerCase(Locale.ROOT);
    int slash = t.indexOf('/');
    String addressText = slash < 0 ? t : t.substring(0, slash);
    byte[] address = parse(addressText);
    if (address == null) {
      throw new IllegalArgumentException("invalid IP address or CIDR block '" + text + "'");
    }
    int bits = address.length * 8;
    if (slash < 0) {
      return addressText + "/" + bits;
    }
    String prefixText = t.substring(slash + 1);
    if (!prefixText.matches("\\d{1,3}") || Integer.parseInt(prefixText) > bits) {
      throw new IllegalArgumentException("invalid prefix length in '" + text + "' (0 to " + bits + ")");
    }
    int prefix = Integer.parseInt(prefixText);
    for (int bit = prefix; bit < bits; bit++) {
      if ((address[bit / 8] & (0x80 >>> (bit % 8))) != 0) {
        throw new IllegalArgumentException(
            "'" + text + "' has bits set after the /" + prefix + " prefix: write the network address");
      }
    }
    return addressText + "/" + prefix;
  }

  private static byte[] parseV4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] address = new byte[4];
    for (int i = 0; i < 4; i++) {
      // No leading zeros: some parsers read "010" as octal.
      if (!parts[i].matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(parts[i]) > 255) {
        return null;
      }
      address[i] = (byte) Integer.parseInt(parts[i]);
    }
    return address;
  }

  private static byte[] parseV6(String text) {
    String head = text;
    byte[] v4Tail = null;
    int lastColon = text.lastIndexOf(':');
    if (text.indexOf('.', lastColon) >= 0) { // embedded IPv4, e.g. ::ffff:10.0.0.1
      v4Tail = parseV4(text.substring(lastColon + 1));
      if (v4Tail == null) {
        return null;
      }
      head = text.substring(0, lastColon + 1) + "0:0";
    }
    int gap = head.indexOf("::");
    if (gap != head.lastIndexOf("::")) {
      return null;
    }
    String[] left = groups(gap < 0 ? head : head.substring(0, gap));
    String[] right = gap < 0 ? new String[0] : groups(head.substring(gap + 2));
    if (left == null || right == null || (gap < 0 ? left.length != 8 : left.length + right.length > 7)) {
      return null;
    }
    byte[] address = new byte[16];
    for (int i = 0; i < left.length; i++) {
      put(address, i, left[i]);
    }
    for (int i = 0; i < right.length; i++) {
      put(address, 8 - right.length + i, right[i]);
    }
    if (v4Tail != null) {
      System.arraycopy(v4Tail, 0, address, 12, 4);
    }
    return address;
  }

  private static String[] groups(String text) {
    if (text.isEmpty()) {
      return new String[0];
    }
    String[] groups = text.split(":", -1);
    for (String group : groups) {
      if (!group.matches("[0-9a-fA-F]{1,4}")) {
        return null;
      }
    }
    return groups;
  }

  private static void put(byte[] address, int group, String hex) {
    int value = Integer.parseInt(hex, 16);
    address[group * 2] = (byte) (value >>> 8);
    address[group * 2 + 1] = (byte) value;
  }
}
