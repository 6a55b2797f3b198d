package io.tollgate.auth.jwt;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What a JWT from one issuer must satisfy, beyond a valid signature. Immutable; built at config load.
 *
 * @param issuer the exact {@code iss} value, compared as a string (no trailing-slash or case folding: OpenID
 *     Connect Discovery §4.3 requires an exact match); required
 * @param audiences accepted {@code aud} values: a token must name at least one of them. <b>Empty means the
 *     audience is not checked</b> — only for issuers whose every token is meant for this gateway; default empty
 * @param algorithms the pinned algorithms: a token's {@code alg} only selects among these (RFC 8725 §3.1);
 *     required, not empty
 * @param leeway clock-skew allowance applied to {@code exp}, {@code nbf} and {@code iat}; default
 *     {@value #DEFAULT_LEEWAY_SECONDS} s, at most {@value #MAX_LEEWAY_SECONDS} s
 * @param maxTokenBytes the longest compact token accepted, checked before any decoding; default
 *     {@value #DEFAULT_MAX_TOKEN_BYTES} bytes
 */
public record IssuerPolicy(String issuer, Set<String> audiences, Set<JwsAlgorithm> algorithms, Duration leeway,
    int maxTokenBytes) {

  public static final int DEFAULT_LEEWAY_SECONDS = 30;
  public static final int MAX_LEEWAY_SECONDS = 300;
  public static final int DEFAULT_MAX_TOKEN_BYTES = 8192;

  public IssuerPolicy {
    if (issuer == null || issuer.isEmpty()) {
      throw new IllegalArgumentException("issuer is required");
    }
    audiences = audiences == null ? Set.of() : Set.copyOf(audiences);
    if (audiences.contains("")) {
      throw new IllegalArgumentException("an accepted audience must not be empty");
    }
    if (algorithms == null || algorithms.isEmpty()) {
      throw new IllegalArgumentException("at least one algorithm must be pinned for " + issuer);
    }
    algorithms = Collections.unmodifiableSet(EnumSet.copyOf(algorithms));
    leeway = leeway == null ? Duration.ofSeconds(DEFAULT_LEEWAY_SECONDS) : leeway;
    if (leeway.isNegative() || leeway.compareTo(Duration.ofSeconds(MAX_LEEWAY_SECONDS)) > 0) {
      throw new IllegalArgumentException("leeway must be 0.." + MAX_LEEWAY_SECONDS + " s: " + leeway);
    }
    if (maxTokenBytes <= 0) {
      throw new IllegalArgumentException("maxTokenBytes must be positive: " + maxTokenBytes);
    }
  }

  /** A policy with the default leeway and token size cap. */
  public static IssuerPolicy of(String issuer, Set<String> audiences, Set<JwsAlgorithm> algorithms) {
    return new IssuerPolicy(issuer, audiences, algorithms, null, DEFAULT_MAX_TOKEN_BYTES);
  }

  public IssuerPolicy withLeeway(Duration newLeeway) {
    return new IssuerPolicy(issuer, audiences, algorithms, Objects.requireNonNull(newLeeway), maxTokenBytes);
  }

  public IssuerPolicy withMaxTokenBytes(int bytes) {
    return new IssuerPolicy(issuer, audiences, algorithms, leeway, bytes);
  }

  /** Always true: a token without {@code exp} never passes (issue 4). Not configurable, on purpose. */
  public boolean requireExp() {
    return true;
  }
}
