package io.tollgate.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Binds a service's {@code discovery:} section (today: {@code dns:} only). */
final class DiscoveryBinder {

  /** {@code ip}, {@code ip:port} or {@code [ipv6]:port}; a bare IPv6 literal has no port. */
  private static final Pattern SERVER = Pattern.compile("\\[([^\\]]+)\\](?::([0-9]{1,5}))?|([0-9.]+)(?::([0-9]{1,5}))?");

  private DiscoveryBinder() {
  }

  /** The {@code discovery.dns} section, or null when the service has no {@code discovery:}. */
  static DnsDiscoveryConfig discovery(Fields owner) {
    if (owner.get("discovery") == null) {
      return null;
    }
    Fields discovery = owner.section("discovery", "dns");
    if (discovery.required("dns") == null) {
      return null;
    }
    Fields f = discovery.section("dns", "name", "port", "scheme", "basePath", "refresh", "timeout", "servers");
    ConfigNode nameNode = f.required("name");
    String name = nameNode == null ? null : nameNode.string();
    if (name != null) {
      name = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
      if (!Syntax.isHostName(name) || name.matches("[0-9.]+")) {
        nameNode.error("invalid DNS name '" + name + "'");
      }
    }
    f.required("port");
    int port = f.integer("port", 80, 1, 65_535);
    String scheme = f.string("scheme", "http");
    if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
      f.error("scheme", "must be http or https");
    }
    String basePath = basePath(f);
    Duration refresh = f.positiveDuration("refresh", DnsDiscoveryConfig.DEFAULT_REFRESH);
    if (refresh.compareTo(DnsDiscoveryConfig.MIN_REFRESH) < 0) {
      f.error("refresh", "must be at least " + DnsDiscoveryConfig.MIN_REFRESH.toMillis() + "ms");
    }
    Duration timeout = f.positiveDuration("timeout", DnsDiscoveryConfig.DEFAULT_TIMEOUT);
    if (timeout.compareTo(refresh) > 0) {
      f.error("timeout", "must not be longer than refresh");
    }
    return new DnsDiscoveryConfig(name == null ? "" : name.toLowerCase(Locale.ROOT), port,
        scheme.equalsIgnoreCase("https"), basePath, refresh, timeout, servers(f));
  }

  private static String basePath(Fields f) {
    ConfigNode node = f.get("basePath");
    String text = node == null ? null : node.string();
    if (text == null || text.isEmpty()) {
      return "";
    }
    if (!text.startsWith("/") || !text.matches("[!-~]+") || text.contains("?") || text.contains("#")) {
      node.error("must start with '/' and contain no spaces, control characters, '?' or '#'");
      return "";
    }
    String base = text;
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base;
  }

  private static List<DnsDiscoveryConfig.Server> servers(Fields f) {
    ConfigNode list = f.get("servers");
    List<DnsDiscoveryConfig.Server> servers = new ArrayList<>();
    for (ConfigNode item : list == null ? List.<ConfigNode>of() : list.list()) {
      String text = item.string();
      if (text == null) {
        continue;
      }
      DnsDiscoveryConfig.Server server = server(text.trim());
      if (server == null) {
        item.error("invalid DNS server '" + text + "' (expected an IP address with an optional port, e.g."
            + " 10.0.0.2, 10.0.0.2:5353, [fd00::2]:53)");
      } else {
        servers.add(server);
      }
    }
    return servers;
  }

  /** Parses {@code ip[:port]} / {@code [ipv6][:port]} / a bare IPv6 literal; null when invalid. */
  static DnsDiscoveryConfig.Server server(String text) {
    if (text.indexOf(':') >= 0 && !text.startsWith("[") && text.indexOf(':') != text.lastIndexOf(':')) {
      return IpAddresses.parse(text) == null ? null : new DnsDiscoveryConfig.Server(text, 53);
    }
    Matcher m = SERVER.matcher(text);
    if (!m.matches()) {
      return null;
    }
    String host = m.group(1) != null ? m.group(1) : m.group(3);
    String port = m.group(1) != null ? m.group(2) : m.group(4);
    if (IpAddresses.parse(host) == null || (m.group(1) != null && host.indexOf(':') < 0)) {
      return null;
    }
    int p = port == null ? 53 : Integer.parseInt(port);
    return p < 1 || p > 65_535 ? null : new DnsDiscoveryConfig.Server(host, p);
  }
}
