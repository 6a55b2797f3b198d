package io.tollgate.ratelimit;

import io.tollgate.auth.Principal;
import io.tollgate.pipeline.RequestContext;
import io.tollgate.proxy.ClientAddress;
import io.tollgate.proxy.TrustedProxies;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * One part of a limit's key ({@code ip}, {@code sub}, {@code tenant}, {@code consumer}, {@code route},
 * {@code header:<name>}, {@code claim:<name>}): reads its value from a request.
 *
 * <p>A caller identity that is absent (no principal, a JWT without the claim, a missing header, a JWT caller for
 * {@code consumer}) falls back to the client IP, labelled {@code ip}, so that omitting an identity never escapes
 * a limit. Values that are long or not plain printable ASCII are replaced by a SHA-256 digest, so keys stay
 * short and a client cannot inject separators.
 */
final class KeyPart {

  private static final int MAX_PLAIN_LENGTH = 64;

  private enum Kind { IP, SUB, TENANT, CONSUMER, ROUTE, HEADER, CLAIM }

  private final Kind kind;
  private final String label;
  private final String argument;

  private KeyPart(Kind kind, String label, String argument) {
    this.kind = kind;
    this.label = label;
    this.argument = argument;
  }

  /** @param spec a validated key part from config; {@code tenantClaim} is the claim {@code tenant} reads */
  static KeyPart parse(String spec, String tenantClaim) {
    return switch (spec) {
      case "ip" -> new KeyPart(Kind.IP, "ip", null);
      case "sub" -> new KeyPart(Kind.SUB, "sub", null);
      case "tenant" -> new KeyPart(Kind.TENANT, "tenant", tenantClaim);
      case "consumer" -> new KeyPart(Kind.CONSUMER, "consumer", null);
      case "route" -> new KeyPart(Kind.ROUTE, "route", null);
      default -> spec.startsWith("header:")
          ? new KeyPart(Kind.HEADER, spec.toLowerCase(java.util.Locale.ROOT), spec.substring(7))
          : new KeyPart(Kind.CLAIM, spec, spec.substring(6));
    };
  }

  /** The spec this part was parsed from, e.g. {@code sub}. */
  String label() {
    return label;
  }

  /** Appends {@code label=value} (or {@code ip=address} when the identity is absent) to {@code key}. */
  void append(StringBuilder key, RequestContext ctx, TrustedProxies trusted) {
    String value = value(ctx);
    if (value == null || value.isEmpty()) {
      key.append("ip=");
      appendSafe(key, ClientAddress.of(ctx.request(), trusted)); // a forwarded hop may be anything
      return;
    }
    key.append(label).append('=');
    appendSafe(key, value);
  }

  private String value(RequestContext ctx) {
    Principal principal = ctx.get(Principal.KEY);
    return switch (kind) {
      case IP -> null;
      case SUB -> principal == null || principal.subject() == null ? null
          : principal.kind() == Principal.Kind.API_KEY ? "api-key:" + principal.subject()
          : principal.issuer() + ":" + principal.subject(); // one issuer's sub is not another's
      case TENANT, CLAIM -> principal == null ? null : principal.claim(argument);
      case CONSUMER -> principal == null || principal.kind() != Principal.Kind.API_KEY ? null : principal.subject();
      case ROUTE -> ctx.route() == null ? null : ctx.route().id();
      case HEADER -> ctx.request().getHeader(argument);
    };
  }

  private static void appendSafe(StringBuilder key, String value) {
    if (value.length() <= MAX_PLAIN_LENGTH && isPlain(value)) {
      key.append(value);
      return;
    }
    key.append('#').append(digest(value));
  }

  /** Printable ASCII other than the separators used in keys and Redis Cluster hash tags. */
  private static boolean isPlain(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '{' || c == '}' || c == ',' || c == '=' || c == '#' || c == '|') {
        return false;
      }
    }
    return true;
  }

  private static String digest(String value) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 22);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
