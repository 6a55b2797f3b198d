package io.tollgate.config;

import io.tollgate.config.ListenerConfig.EscapedSlashes;
import java.util.ArrayList;
import java.util.List;

/** Binds the process-level sections: {@code listener:}, {@code management:} and {@code shutdown:}. */
final class ServerBinder {

  private static final int MAX_PORT = 65_535;

  private ServerBinder() {
  }

  static ListenerConfig listener(Fields root) {
    Fields f = root.section("listener", "host", "port", "instances", "trustedProxies",
        "maxInitialLineLength", "maxHeaderSize", "maxBodySize", "escapedSlashes", "idleTimeout",
        "maxWebSocketFrameSize");
    ListenerConfig d = ListenerConfig.DEFAULT;
    return new ListenerConfig(
        bindAddress(f, d.host()),
        f.integer("port", d.port(), 0, MAX_PORT),
        f.integer("instances", d.instances(), 0, Integer.MAX_VALUE),
        trustedProxies(f.get("trustedProxies")),
        // Netty requires both limits to be positive and int-sized.
        f.size("maxInitialLineLength", (long) d.maxInitialLineLength(), 1, Integer.MAX_VALUE).intValue(),
        f.size("maxHeaderSize", (long) d.maxHeaderSize(), 1, Integer.MAX_VALUE).intValue(),
        f.size("maxBodySize", d.maxBodySize(), 0, Long.MAX_VALUE),
        f.enumValue("escapedSlashes", EscapedSlashes.class, d.escapedSlashes()),
        f.duration("idleTimeout", d.idleTimeout()),
        f.size("maxWebSocketFrameSize", (long) d.maxWebSocketFrameSize(), 125, Integer.MAX_VALUE).intValue());
  }

  /** Needs the bound listener to detect a management listener on the same address and port. */
  static ManagementConfig management(Fields root, ListenerConfig listener) {
    Fields f = root.section("management", "enabled", "host", "port", "metrics");
    ManagementConfig d = ManagementConfig.DEFAULT;
    ManagementConfig management = new ManagementConfig(
        f.bool("enabled", d.enabled()), bindAddress(f, d.host()), f.integer("port", d.port(), 0, MAX_PORT),
        f.bool("metrics", d.metrics()));
    if (management.enabled() && management.port() != 0 && management.port() == listener.port()
        && overlaps(management.host(), listener.host())) {
      f.error("port", "conflicts with listener.port: both bind port " + listener.port());
    }
    return management;
  }

  static ShutdownConfig shutdown(Fields root) {
    Fields f = root.section("shutdown", "readinessGrace", "drainTimeout");
    ShutdownConfig d = ShutdownConfig.DEFAULT;
    return new ShutdownConfig(
        f.duration("readinessGrace", d.readinessGrace()), f.duration("drainTimeout", d.drainTimeout()));
  }

  private static String bindAddress(Fields f, String fallback) {
    String host = f.string("host", fallback);
    if (IpAddresses.parse(host) == null && !Syntax.isHostName(host)) {
      f.error("host", "invalid address '" + host + "' (expected an IP address or a host name, without port)");
    }
    return host;
  }

  private static List<String> trustedProxies(ConfigNode node) {
    List<String> blocks = new ArrayList<>();
    for (ConfigNode item : node == null ? List.<ConfigNode>of() : node.list()) {
      String text = item.string();
      if (text != null) {
        try {
          blocks.add(IpAddresses.normalizeCidr(text));
        } catch (IllegalArgumentException e) {
          item.error(e.getMessage());
        }
      }
    }
    return blocks;
  }

  /** Two binds collide on the same port when the hosts are equal or either one is a wildcard. */
  private static boolean overlaps(String a, String b) {
    return a.equalsIgnoreCase(b) || IpAddresses.isWildcard(a) || IpAddresses.isWildcard(b);
  }
}
