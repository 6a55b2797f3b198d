package io.tollgate.auth.keys;

import io.tollgate.auth.jwt.JwsAlgorithm;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Where one token issuer's verification keys come from. Exactly one source: an OIDC discovery document, a JWKS URL,
 * or a shared HS256 secret (internal/dev use).
 *
 * @param name               config name of the issuer; routes refer to it, {@code AuthKeys} is keyed by it
 * @param discoveryUrl       the full discovery document URL, e.g. {@code https://idp/.well-known/openid-configuration}
 *                           (OIDC Discovery §4); its {@code jwks_uri} is fetched next. Null unless discovery is used.
 * @param jwksUrl            a JWKS (RFC 7517 §5) URL fetched directly. Null unless used.
 * @param issuer             the expected {@code iss}; required for {@code jwksUrl} and secret sources; optional with
 *                           discovery when {@code discoveryUrl} ends in {@value #WELL_KNOWN} (then it is the part in
 *                           front of it, as OIDC Discovery §4.3 requires). The discovery document's {@code issuer}
 *                           must equal it exactly, otherwise no keys are taken from that document.
 * @param algorithms         the algorithms tokens of this issuer may use (pinned; {@code alg} never widens them);
 *                           non-empty; {@code HS256} only — and exactly — for secret sources
 * @param minRefresh         lower bound on the background refresh interval, whatever {@code Cache-Control} says;
 *                           default 30 s ({@link #DEFAULT_MIN_REFRESH}); greater than zero
 * @param maxRefresh         upper bound on the refresh interval and on the failure backoff; also the interval when
 *                           the JWKS response has no {@code max-age}; default 10 min; at least {@code minRefresh}
 * @param unknownKidCooldown at most one refetch per this interval is triggered by tokens with an unknown {@code kid};
 *                           default 30 s; zero allows one per request (never in production)
 * @param hmacSecret         the HS256 secret, at least 32 bytes (RFC 7518 §3.2); null for URL sources. Copied in and
 *                           out; never printed by {@link #toString()}.
 */
public record IssuerSource(
    String name,
    String discoveryUrl,
    String jwksUrl,
    String issuer,
    Set<JwsAlgorithm> algorithms,
    Duration minRefresh,
    Duration maxRefresh,
    Duration unknownKidCooldown,
    byte[] hmacSecret) {

  /** The discovery path suffix (OIDC Discovery 1.0 §4). */
  public static final String WELL_KNOWN = "/.well-known/openid-configuration";
  public static final Duration DEFAULT_MIN_REFRESH = Duration.ofSeconds(30);
  public static final Duration DEFAULT_MAX_REFRESH = Duration.ofMinutes(10);
  public static final Duration DEFAULT_UNKNOWN_KID_COOLDOWN = Duration.ofSeconds(30);
  /** RFC 7518 §3.2: an HS256 key must be at least as long as the hash output. */
  public static final int MIN_SECRET_BYTES = 32;

  public IssuerSource {
    requireText(name, "name");
    algorithms = algorithms == null || algorithms.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(algorithms));
    Objects.requireNonNull(minRefresh, "minRefresh");
    Objects.requireNonNull(maxRefresh, "maxRefresh");
    Objects.requireNonNull(unknownKidCooldown, "unknownKidCooldown");
    hmacSecret = hmacSecret == null ? null : hmacSecret.clone();
    int sources = (discoveryUrl != null ? 1 : 0) + (jwksUrl != null ? 1 : 0) + (hmacSecret != null ? 1 : 0);
    if (sources != 1) {
      throw invalid(name, "needs exactly one of discoveryUrl, jwksUrl, hmacSecret");
    }
    if (algorithms.isEmpty()) {
      throw invalid(name, "needs at least one pinned algorithm");
    }
    if (hmacSecret != null) {
      if (!algorithms.equals(Set.of(JwsAlgorithm.HS256))) {
        throw invalid(name, "a secret source verifies HS256 only");
      }
      if (hmacSecret.length < MIN_SECRET_BYTES) {
        throw invalid(name, "the HS256 secret must be at least " + MIN_SECRET_BYTES + " bytes");
      }
      requireText(issuer, "issuer of " + name);
    } else {
      // A JWKS is public; an HS256 "key" in it would let anyone sign (the classic algorithm confusion).
      if (algorithms.contains(JwsAlgorithm.HS256)) {
        throw invalid(name, "HS256 needs a secret source, not a JWKS");
      }
      requireHttpUrl(name, discoveryUrl != null ? discoveryUrl : jwksUrl);
      if (jwksUrl != null || !discoveryUrl.endsWith(WELL_KNOWN)) {
        requireText(issuer, "issuer of " + name + " (not derivable from its URL)");
      }
    }
    if (minRefresh.isNegative() || minRefresh.isZero()) {
      throw invalid(name, "minRefresh must be greater than zero");
    }
    if (maxRefresh.compareTo(minRefresh) < 0) {
      throw invalid(name, "maxRefresh must be at least minRefresh");
    }
    if (unknownKidCooldown.isNegative()) {
      throw invalid(name, "unknownKidCooldown must not be negative");
    }
  }

  /** Keys from OIDC discovery with default refresh bounds; the issuer is derived from {@code discoveryUrl}. */
  public static IssuerSource discovery(String name, String discoveryUrl, Set<JwsAlgorithm> algorithms) {
    return new IssuerSource(name, discoveryUrl, null, null, algorithms, DEFAULT_MIN_REFRESH, DEFAULT_MAX_REFRESH,
        DEFAULT_UNKNOWN_KID_COOLDOWN, null);
  }

  /** Keys from a JWKS URL with default refresh bounds. */
  public static IssuerSource jwks(String name, String jwksUrl, String issuer, Set<JwsAlgorithm> algorithms) {
    return new IssuerSource(name, null, jwksUrl, issuer, algorithms, DEFAULT_MIN_REFRESH, DEFAULT_MAX_REFRESH,
        DEFAULT_UNKNOWN_KID_COOLDOWN, null);
  }

  /** One HS256 secret, loaded once (nothing to fetch or refresh). */
  public static IssuerSource hmac(String name, String issuer, byte[] secret) {
    return new IssuerSource(name, null, null, issuer, Set.of(JwsAlgorithm.HS256), DEFAULT_MIN_REFRESH,
        DEFAULT_MAX_REFRESH, DEFAULT_UNKNOWN_KID_COOLDOWN, secret);
  }

  public IssuerSource withIssuer(String expectedIssuer) {
    return new IssuerSource(name, discoveryUrl, jwksUrl, expectedIssuer, algorithms, minRefresh, maxRefresh,
        unknownKidCooldown, hmacSecret);
  }

  public IssuerSource withRefresh(Duration min, Duration max) {
    return new IssuerSource(name, discoveryUrl, jwksUrl, issuer, algorithms, min, max, unknownKidCooldown,
        hmacSecret);
  }

  public IssuerSource withUnknownKidCooldown(Duration cooldown) {
    return new IssuerSource(name, discoveryUrl, jwksUrl, issuer, algorithms, minRefresh, maxRefresh, cooldown,
        hmacSecret);
  }

  /**
   * The {@code iss} tokens of this issuer must carry: {@link #issuer()} when configured, otherwise the part of
   * {@link #discoveryUrl()} in front of {@value #WELL_KNOWN}.
   */
  public String expectedIssuer() {
    if (issuer != null) {
      return issuer;
    }
    return discoveryUrl.substring(0, discoveryUrl.length() - WELL_KNOWN.length());
  }

  /** Whether keys are fetched over HTTP (and refreshed), as opposed to a configured secret. */
  public boolean isRemote() {
    return hmacSecret == null;
  }

  @Override
  public byte[] hmacSecret() {
    return hmacSecret == null ? null : hmacSecret.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IssuerSource other
        && name.equals(other.name)
        && Objects.equals(discoveryUrl, other.discoveryUrl)
        && Objects.equals(jwksUrl, other.jwksUrl)
        && Objects.equals(issuer, other.issuer)
        && algorithms.equals(other.algorithms)
        && minRefresh.equals(other.minRefresh)
        && maxRefresh.equals(other.maxRefresh)
        && unknownKidCooldown.equals(other.unknownKidCooldown)
        && (hmacSecret == null ? other.hmacSecret == null
            : other.hmacSecret != null && MessageDigest.isEqual(hmacSecret, other.hmacSecret));
  }

  @Override
  public int hashCode() {
    // The secret is left out on purpose: equal sources still hash equally, and nothing about it leaks.
    return Objects.hash(name, discoveryUrl, jwksUrl, issuer, algorithms, minRefresh, maxRefresh, unknownKidCooldown);
  }

  @Override
  public String toString() {
    String source = discoveryUrl != null ? "discovery=" + discoveryUrl
        : jwksUrl != null ? "jwks=" + jwksUrl : "hmacSecret=<" + hmacSecret.length + " bytes>";
    return "IssuerSource[" + name + ", " + source + ", issuer=" + issuer + ", algorithms=" + algorithms
        + ", refresh=" + minRefresh + ".." + maxRefresh + ", unknownKidCooldown=" + unknownKidCooldown + "]";
  }

  private static void requireHttpUrl(String name, String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (java.net.URISyntaxException e) {
      throw invalid(name, "not a URL: " + url);
    }
    if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
      throw invalid(name, "not an http(s) URL: " + url);
    }
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must be set");
    }
  }

  private static IllegalArgumentException invalid(String name, String message) {
    return new IllegalArgumentException("issuer " + name + ": " + message);
  }
}
