package io.tollgate.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.util.List;
import java.util.Set;

/**
 * Sets {@code X-Forwarded-For/-Proto/-Host/-Port} and {@code Forwarded} (RFC 7239) on the upstream request.
 *
 * <p>Values a client sends are believed only when the TCP peer is a {@link TrustedProxies trusted proxy}: then
 * the peer is appended to the chain and the original proto/host/port are kept. From anyone else they are
 * replaced, so a client can never spoof its address or scheme to an upstream.
 */
public final class ForwardedHeaders {

  static final String X_FORWARDED_FOR = "x-forwarded-for";
  static final String X_FORWARDED_PROTO = "x-forwarded-proto";
  static final String X_FORWARDED_HOST = "x-forwarded-host";
  static final String X_FORWARDED_PORT = "x-forwarded-port";
  static final String FORWARDED = "forwarded";

  // Pre-built names: their hash is computed once, not per request.
  private static final CharSequence XFF = HttpHeaders.createOptimized(X_FORWARDED_FOR);
  private static final CharSequence XFP = HttpHeaders.createOptimized(X_FORWARDED_PROTO);
  private static final CharSequence XFH = HttpHeaders.createOptimized(X_FORWARDED_HOST);
  private static final CharSequence XFPORT = HttpHeaders.createOptimized(X_FORWARDED_PORT);
  private static final CharSequence FWD = HttpHeaders.createOptimized(FORWARDED);

  /** Lower-case names this class owns; the generic header copy skips them. */
  public static final Set<String> NAMES =
      Set.of(X_FORWARDED_FOR, X_FORWARDED_PROTO, X_FORWARDED_HOST, X_FORWARDED_PORT, FORWARDED);

  private ForwardedHeaders() {
  }

  /** Writes the forwarding headers for {@code request} into {@code out}. */
  public static void apply(HttpServerRequest request, MultiMap out, TrustedProxies trusted) {
    MultiMap in = request.headers();
    String peer = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    String scheme = request.scheme() == null ? "http" : request.scheme();
    HostAndPort authority = request.authority();
    String host = authority == null ? null : hostHeader(authority);
    String port = portText(request.localAddress() == null ? 0 : request.localAddress().port());
    boolean trust = trusted.contains(peer);

    String chain = trust ? joined(in.getAll(XFF)) : null;
    out.set(XFF, chain == null ? peer : chain + ", " + peer);
    out.set(XFP, trust ? keptOr(in.get(XFP), scheme) : scheme);
    String fwdHost = trust ? keptOr(in.get(XFH), host) : host;
    if (fwdHost != null) {
      out.set(XFH, fwdHost);
    }
    out.set(XFPORT, trust ? keptOr(in.get(XFPORT), port) : port);

    String element = forwardedElement(peer, scheme, host);
    String previous = trust ? joined(in.getAll(FWD)) : null;
    out.set(FWD, previous == null ? element : previous + ", " + element);
  }

  /** The listener's port as text; the last one is kept (a listener has one port), so no string per request. */
  private static String portText(int port) {
    PortText cached = lastPort;
    if (cached.port != port) {
      cached = new PortText(port, Integer.toString(port));
      lastPort = cached;
    }
    return cached.text;
  }

  private record PortText(int port, String text) {
  }

  private static volatile PortText lastPort = new PortText(0, "0");

  private static String hostHeader(HostAndPort authority) {
    return authority.port() < 0 ? authority.host() : authority.host() + ":" + authority.port();
  }

  private static String keptOr(String given, String fallback) {
    return given != null && !given.isEmpty() ? given : fallback;
  }

  private static String joined(List<String> values) {
    if (values.isEmpty()) {
      return null;
    }
    return values.size() == 1 ? values.get(0) : String.join(", ", values);
  }

  /** One RFC 7239 element: {@code for=…;proto=…;host=…}, IPv6 and ports quoted as §6 requires. */
  static String forwardedElement(String peer, String scheme, String host) {
    StringBuilder sb = new StringBuilder(48).append("for=");
    if (peer.indexOf(':') >= 0) {
      sb.append("\"[").append(peer).append("]\"");
    } else {
      sb.append(peer);
    }
    sb.append(";proto=").append(scheme);
    if (host != null) {
      sb.append(";host=").append(isToken(host) ? host : quoted(host));
    }
    return sb.toString();
  }

  private static boolean isToken(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return !s.isEmpty();
  }

  private static String quoted(String s) {
    return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }
}
