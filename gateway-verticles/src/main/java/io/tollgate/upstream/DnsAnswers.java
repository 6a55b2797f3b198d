package io.tollgate.upstream;

import io.tollgate.config.DnsDiscoveryConfig;
import io.tollgate.config.TargetConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/** Turns the A and AAAA answers for a discovered service into its target set. Pure. */
final class DnsAnswers {

  private DnsAnswers() {
  }

  /**
   * One target per distinct address of {@code addresses} (A and AAAA answers), sorted by {@link TargetConfig#address()} (so the
   * order of records in an answer is no change); unparsable entries are skipped, IPv6 literals are canonicalised
   * (so {@code ::1} and {@code 0:0:0:0:0:0:0:1} are one address).
   */
  static List<TargetConfig> targets(DnsDiscoveryConfig config, List<String> addresses) {
    TreeMap<String, TargetConfig> byAddress = new TreeMap<>();
    for (String ip : addresses) {
      String canonical = canonical(ip);
      if (canonical != null) {
        TargetConfig target = config.target(canonical);
        byAddress.putIfAbsent(target.address(), target);
      }
    }
    return new ArrayList<>(byAddress.values());
  }

  /** The address in canonical text form; null when {@code ip} is not an IP literal (never resolves a name). */
  static String canonical(String ip) {
    if (ip == null || ip.isEmpty() || !(ip.indexOf(':') >= 0 || ip.matches("[0-9.]+"))) {
      return null;
    }
    try {
      // An IP literal: InetAddress parses it without any lookup.
      return InetAddress.getByName(ip).getHostAddress().toLowerCase(Locale.ROOT);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
