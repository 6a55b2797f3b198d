package io.tollgate.auth.jwt;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A token whose signature verified, with its registered claims parsed (RFC 7519 §4.1). Immutable and safe to
 * share between threads and requests (the {@link VerifiedTokenCache} hands the same instance to many requests):
 * the claims are only reachable through copies and read-only helpers.
 */
public final class VerifiedJwt {

  /** Beyond ±10^15 s (some 31 million years) a NumericDate is clamped, keeping {@link Instant} arithmetic safe. */
  private static final long MAX_SECONDS = 1_000_000_000_000_000L;

  private final JsonObject claims;
  private final JwsAlgorithm algorithm;
  private final String keyId;
  private final VerificationKey verifiedBy;
  private final String issuer;
  private final String subject;
  private final Set<String> audiences;
  private final Instant expiresAt;
  private final Instant notBefore;
  private final Instant issuedAt;

  private VerifiedJwt(JsonObject claims, JwsAlgorithm algorithm, String keyId, VerificationKey verifiedBy) {
    this.claims = claims;
    this.algorithm = algorithm;
    this.keyId = keyId;
    this.verifiedBy = verifiedBy;
    this.issuer = optionalString(claims, "iss");
    this.subject = optionalString(claims, "sub");
    this.audiences = audiences(claims.getValue("aud"));
    Object exp = claims.getValue("exp");
    if (exp == null) {
      throw new Rejection(JwtResult.Reason.MISSING_EXP, "the token has no exp");
    }
    this.expiresAt = numericDate(exp, "exp");
    this.notBefore = claims.getValue("nbf") == null ? null : numericDate(claims.getValue("nbf"), "nbf");
    this.issuedAt = claims.getValue("iat") == null ? null : numericDate(claims.getValue("iat"), "iat");
  }

  /**
   * Parses the registered claims of a payload whose signature has verified.
   *
   * @throws Rejection ({@code MISSING_EXP} or {@code MALFORMED}) when a registered claim is absent or mistyped
   */
  static VerifiedJwt parse(JsonObject claims, JwsAlgorithm algorithm, String keyId, VerificationKey verifiedBy) {
    return new VerifiedJwt(claims, algorithm, keyId, verifiedBy);
  }

  /** {@code sub}, or null when absent. */
  public String subject() {
    return subject;
  }

  /** {@code iss}; in a {@link JwtResult.Valid} always the policy's issuer. */
  public String issuer() {
    return issuer;
  }

  /** {@code aud} as a set: one element for a string, the elements of an array, empty when absent. */
  public Set<String> audiences() {
    return audiences;
  }

  /** {@code exp}; always present. */
  public Instant expiresAt() {
    return expiresAt;
  }

  /** {@code nbf}, or null when absent. */
  public Instant notBefore() {
    return notBefore;
  }

  /** {@code iat}, or null when absent. */
  public Instant issuedAt() {
    return issuedAt;
  }

  /** The algorithm the signature was verified with. */
  public JwsAlgorithm algorithm() {
    return algorithm;
  }

  /** The header's {@code kid}, or null when it had none. */
  public String keyId() {
    return keyId;
  }

  /** All claims: a deep copy on every call (prefer {@link #strings} and {@link #string} on the request path). */
  public JsonObject claims() {
    return claims.copy();
  }

  /**
   * A claim as a set of strings, for scopes and roles: a string is split at spaces (the {@code scope} format,
   * RFC 8693 §4.2), an array gives its string elements, anything else (or nothing) gives an empty set.
   * {@code claimPath} is a top-level claim name if the token has a claim of exactly that name (so namespaced
   * names such as {@code https://example.com/roles} work), otherwise a dotted path into nested objects
   * ({@code realm_access.roles}).
   */
  public Set<String> strings(String claimPath) {
    Object value = resolve(claimPath);
    Set<String> out = new LinkedHashSet<>();
    if (value instanceof String s) {
      for (String part : s.split(" ")) {
        if (!part.isEmpty()) {
          out.add(part);
        }
      }
    } else if (value instanceof JsonArray array) {
      for (Object element : array) {
        if (element instanceof String s) {
          out.add(s);
        }
      }
    }
    return Collections.unmodifiableSet(out);
  }

  /**
   * A claim as one string, for claim-to-header mapping: a string as is, a number or boolean in its JSON form,
   * null for objects, arrays, {@code null} and absent claims. {@code claimPath} as in {@link #strings}.
   */
  public String string(String claimPath) {
    Object value = resolve(claimPath);
    return value instanceof String || value instanceof Number || value instanceof Boolean ? value.toString() : null;
  }

  VerificationKey verifiedBy() {
    return verifiedBy;
  }

  @Override
  public String toString() {
    // Claims may carry personal data; logs get the identifying minimum.
    return "VerifiedJwt[iss=" + Shown.quoted(issuer) + ", sub=" + Shown.quoted(subject) + ", exp=" + expiresAt
        + ", alg=" + algorithm + "]";
  }

  private Object resolve(String claimPath) {
    if (claims.containsKey(claimPath)) {
      return claims.getValue(claimPath);
    }
    Object current = claims;
    int from = 0;
    while (from <= claimPath.length()) {
      int dot = claimPath.indexOf('.', from);
      int to = dot < 0 ? claimPath.length() : dot;
      if (!(current instanceof JsonObject object)) {
        return null;
      }
      current = object.getValue(claimPath.substring(from, to));
      from = to + 1;
    }
    return current;
  }

  private static String optionalString(JsonObject claims, String name) {
    Object value = claims.getValue(name);
    if (value != null && !(value instanceof String)) {
      throw new Rejection(JwtResult.Reason.MALFORMED, name + " is " + Shown.quoted(value) + ", not a string");
    }
    return (String) value;
  }

  private static Set<String> audiences(Object aud) {
    if (aud == null) {
      return Set.of();
    }
    if (aud instanceof String s) {
      return Set.of(s);
    }
    if (aud instanceof JsonArray array) {
      Set<String> out = new LinkedHashSet<>();
      for (Object element : array) {
        if (!(element instanceof String s)) {
          throw new Rejection(JwtResult.Reason.MALFORMED, "aud contains " + Shown.quoted(element));
        }
        out.add(s);
      }
      return Collections.unmodifiableSet(out);
    }
    throw new Rejection(JwtResult.Reason.MALFORMED, "aud is " + Shown.quoted(aud));
  }

  /** RFC 7519 §2 NumericDate: seconds since the epoch, fractions allowed. */
  private static Instant numericDate(Object value, String name) {
    if (value instanceof Integer || value instanceof Long) {
      long seconds = ((Number) value).longValue();
      return Instant.ofEpochSecond(Math.max(-MAX_SECONDS, Math.min(MAX_SECONDS, seconds)));
    }
    if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
      double seconds = Math.max(-MAX_SECONDS, Math.min(MAX_SECONDS, number.doubleValue()));
      double whole = Math.floor(seconds);
      return Instant.ofEpochSecond((long) whole, (long) ((seconds - whole) * 1e9));
    }
    throw new Rejection(JwtResult.Reason.MALFORMED, name + " is " + Shown.quoted(value) + ", not a NumericDate");
  }

  /** A claim-parsing failure, turned into {@link JwtResult.Invalid} by the verifier; no stack trace (cheap). */
  static final class Rejection extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final JwtResult.Reason reason;

    Rejection(JwtResult.Reason reason, String detail) {
      super(detail, null, false, false);
      this.reason = reason;
    }

    JwtResult.Reason reason() {
      return reason;
    }
  }
}
