package io.tollgate.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Binds a service's {@code discovery:} section: {@code dns:} or {@code kubernetes:}, exactly one. */
final class DiscoveryBinder {

  /** {@code ip}, {@code ip:port} or {@code [ipv6]:port}; a bare IPv6 literal has no port. */
  private static final Pattern SERVER = Pattern.compile("\\[([^\\]]+)\\](?::([0-9]{1,5}))?|([0-9.]+)(?::([0-9]{1,5}))?");

  private DiscoveryBinder() {
  }

  /** The {@code discovery} section, or null when the service has none (or it is invalid: reported). */
  static DiscoveryConfig discovery(Fields owner) {
    if (owner.get("discovery") == null) {
      return null;
    }
    Fields discovery = owner.section("discovery", "dns", "kubernetes");
    boolean dns = discovery.get("dns") != null;
    boolean kubernetes = discovery.get("kubernetes") != null;
    if (dns && kubernetes) {
      owner.error("discovery", "give either dns or kubernetes, not both");
      return null;
    }
    if (!dns && !kubernetes) {
      owner.error("discovery", "one of dns or kubernetes is required");
      return null;
    }
    return dns ? dns(discovery) : kubernetes(discovery);
  }

  private static DnsDiscoveryConfig dns(Fields discovery) {
    Fields f = discovery.section("dns", "name", "port", "scheme", "basePath", "minTtl", "maxTtl", "timeout",
        "servers");
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
    Duration maxTtl = f.positiveDuration("maxTtl", DnsDiscoveryConfig.DEFAULT_MAX_TTL);
    Duration minTtl = f.positiveDuration("minTtl",
        maxTtl.compareTo(DnsDiscoveryConfig.DEFAULT_MIN_TTL) < 0 ? maxTtl : DnsDiscoveryConfig.DEFAULT_MIN_TTL);
    if (minTtl.compareTo(DnsDiscoveryConfig.MIN_TTL_FLOOR) < 0) {
      f.error("minTtl", "must be at least " + DnsDiscoveryConfig.MIN_TTL_FLOOR.toMillis() + "ms");
    } else if (maxTtl.compareTo(minTtl) < 0) {
      f.error("maxTtl", "must not be shorter than minTtl");
    }
    Duration timeout = f.positiveDuration("timeout",
        maxTtl.compareTo(DnsDiscoveryConfig.DEFAULT_TIMEOUT) < 0 ? maxTtl : DnsDiscoveryConfig.DEFAULT_TIMEOUT);
    if (timeout.compareTo(maxTtl) > 0) {
      f.error("timeout", "must not be longer than maxTtl");
    }
    return new DnsDiscoveryConfig(name == null ? "" : name.toLowerCase(Locale.ROOT), port,
        scheme.equalsIgnoreCase("https"), basePath, minTtl, maxTtl, timeout, servers(f));
  }

  private static KubernetesDiscoveryConfig kubernetes(Fields discovery) {
    Fields f = discovery.section("kubernetes", "namespace", "service", "port", "apiServer", "tokenFile", "caFile",
        "scheme", "basePath", "timeout");
    String namespace = label(f, "namespace");
    String service = label(f, "service");
    ConfigNode portNode = f.get("port");
    String port = portNode == null ? null : portNode.string();
    if (port != null && !(port.matches("[0-9]{1,5}") && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65_535)
        && !port.matches("(?=.*[a-z])[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?")) {
      portNode.error("must be a port number (1-65535) or a port name (IANA_SVC_NAME: up to 15 lower-case letters,"
          + " digits and '-', at least one letter)");
    }
    String scheme = f.string("scheme", "http");
    if (!scheme.equalsIgnoreCase("http") && !scheme.equalsIgnoreCase("https")) {
      f.error("scheme", "must be http or https");
    }
    return new KubernetesDiscoveryConfig(namespace, service, port, apiServer(f),
        f.string("tokenFile", KubernetesDiscoveryConfig.DEFAULT_TOKEN_FILE),
        f.string("caFile", KubernetesDiscoveryConfig.DEFAULT_CA_FILE), scheme.equalsIgnoreCase("https"), basePath(f),
        f.positiveDuration("timeout", KubernetesDiscoveryConfig.DEFAULT_TIMEOUT));
  }

  /** A required DNS-1123 label (namespace and Service names are). */
  private static String label(Fields f, String name) {
    ConfigNode node = f.required(name);
    String text = node == null ? null : node.string();
    if (text != null && !text.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
      node.error("invalid Kubernetes name '" + text + "' (a DNS-1123 label: lower-case letters, digits and '-')");
    }
    return text == null ? "" : text;
  }

  /** {@code apiServer}, else the in-cluster address from the environment; {@code https://host:port}, no path. */
  private static String apiServer(Fields f) {
    ConfigNode node = f.get("apiServer");
    String text = node == null ? null : node.string();
    if (text == null) {
      String host = f.env().get("KUBERNETES_SERVICE_HOST");
      String port = f.env().getOrDefault("KUBERNETES_SERVICE_PORT_HTTPS", f.env().get("KUBERNETES_SERVICE_PORT"));
      if (host == null || host.isEmpty()) {
        f.error("apiServer", "is required outside a Kubernetes pod (KUBERNETES_SERVICE_HOST is not set)");
        return "";
      }
      return "https://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + (port == null ? "443" : port);
    }
    java.net.URI uri;
    try {
      uri = new java.net.URI(text);
    } catch (java.net.URISyntaxException e) {
      uri = null;
    }
    if (uri == null || !"https".equalsIgnoreCase(uri.getScheme()) && !"http".equalsIgnoreCase(uri.getScheme())
        || uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty() && !uri.getPath().equals("/"))
        || uri.getQuery() != null) {
      node.error("must be an http(s) URL without a path, e.g. https://10.96.0.1:443");
      return "";
    }
    return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
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
