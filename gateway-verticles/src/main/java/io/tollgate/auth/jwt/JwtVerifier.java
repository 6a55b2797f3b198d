package io.tollgate.auth.jwt;

import io.tollgate.auth.jwt.JwtResult.Invalid;
import io.tollgate.auth.jwt.JwtResult.Reason;
import io.tollgate.auth.jwt.JwtResult.Valid;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * Verifies compact JWS tokens (RFC 7515 §7.1, RFC 7519) against an {@link IssuerPolicy} and a {@link KeySet}:
 * pure computation, no I/O and no Vert.x instance, so it runs on the event loop. Thread-safe and stateless (the
 * JCA objects it needs are cached per thread); one instance can serve every event loop.
 *
 * <p>Fail-closed order, following RFC 8725: size cap before any decoding; no keys → reject; strict structure;
 * {@code alg} must be pinned; {@code crit} rejected; key chosen by {@code kid} from the key set only (the
 * {@code jku}, {@code x5u}, {@code jwk} and {@code x5c} headers are never read); signature checked before any
 * claim is looked at; then {@code exp} (required), {@code nbf}, {@code iat}, {@code iss}, {@code aud}.
 *
 * <pre>{@code
 * JwtResult result = verifier.verify(token, policy, keys, Instant.now());
 * if (result instanceof JwtResult.Valid valid) {
 *   Set<String> scopes = valid.jwt().strings("scope");
 * } else if (result instanceof JwtResult.Invalid invalid) {
 *   // 401 (431 for TOO_LARGE); log invalid.reason() and invalid.detail(), never the token
 * }
 * }</pre>
 */
public final class JwtVerifier {

  /** Verifies {@code compactToken} at {@code now}; never throws for bad input, only for null arguments. */
  public JwtResult verify(String compactToken, IssuerPolicy policy, KeySet keys, Instant now) {
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(keys, "keys");
    Objects.requireNonNull(now, "now");
    String token = compactToken == null ? "" : compactToken;
    // 1. Size first: it bounds the work every later step can be made to do. Chars, not bytes: any non-ASCII
    //    char fails the base64url check below anyway.
    if (token.length() > policy.maxTokenBytes()) {
      return new Invalid(Reason.TOO_LARGE, "token has " + token.length() + " bytes, more than "
          + policy.maxTokenBytes());
    }
    // 2. Fail closed without keys, before looking at the token: not even an unsigned token can pass (issue 4).
    if (keys.isEmpty()) {
      return new Invalid(Reason.NO_KEYS, "no verification keys are loaded for " + policy.issuer());
    }
    // 3. Exactly three strict base64url segments: header.payload.signature.
    int dot1 = token.indexOf('.');
    int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
    if (dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0) {
      return new Invalid(Reason.MALFORMED, "not three dot-separated segments");
    }
    byte[] headerBytes = Base64Url.decode(token, 0, dot1);
    byte[] payloadBytes = Base64Url.decode(token, dot1 + 1, dot2);
    byte[] signature = Base64Url.decode(token, dot2 + 1, token.length());
    if (headerBytes == null || payloadBytes == null || signature == null) {
      return new Invalid(Reason.MALFORMED, "a segment is not strict base64url");
    }
    // 4. Header: alg from the pinned set only; no crit; kid is a plain map key.
    JsonObject header = jsonObject(headerBytes);
    if (header == null) {
      return new Invalid(Reason.MALFORMED, "the header is not a JSON object");
    }
    Object algName = header.getValue("alg");
    JwsAlgorithm alg = algName instanceof String name ? JwsAlgorithm.fromJose(name) : null;
    if (alg == null || !policy.algorithms().contains(alg)) {
      return new Invalid(Reason.UNSUPPORTED_ALGORITHM, "alg " + Shown.quoted(algName) + " is not pinned for "
          + policy.issuer() + " " + policy.algorithms());
    }
    if (header.containsKey("crit")) {
      return new Invalid(Reason.UNSUPPORTED_CRITICAL_HEADER, "the header has crit; no extension is supported");
    }
    Object kidValue = header.getValue("kid");
    if (kidValue != null && !(kidValue instanceof String)) {
      return new Invalid(Reason.MALFORMED, "kid is " + Shown.quoted(kidValue) + ", not a string");
    }
    String kid = (String) kidValue;
    // jku, x5u, jwk, x5c are never read: keys come from configuration only (RFC 8725 §3.10, CVE-2018-0114).
    VerificationKey key = keys.select(kid, alg);
    if (key == null) {
      return new Invalid(Reason.UNKNOWN_KEY, kid != null
          ? "no " + alg + " key with kid " + Shown.quoted(kid)
          : "no kid, and " + keys.candidates(alg) + " keys could verify " + alg + " (exactly 1 needed)");
    }
    // 5. The signature, over the ASCII bytes of header.payload, before any claim is trusted.
    byte[] ascii = token.getBytes(StandardCharsets.US_ASCII);
    if (!JoseSignatures.verify(alg, key.key(), ascii, dot2, signature)) {
      return new Invalid(Reason.BAD_SIGNATURE, "the " + alg + " signature does not verify with kid "
          + Shown.quoted(key.kid()));
    }
    // 6. Claims.
    JsonObject claims = jsonObject(payloadBytes);
    if (claims == null) {
      return new Invalid(Reason.MALFORMED, "the payload is not a JSON object");
    }
    try {
      return checkClaims(VerifiedJwt.parse(claims, alg, kid, key), policy, now);
    } catch (VerifiedJwt.Rejection e) {
      return new Invalid(e.reason(), e.getMessage());
    }
  }

  /**
   * The policy checks that do not need the signature: also run on every {@link VerifiedTokenCache} hit, so a
   * cached token is held to the asking route's policy and to the current time.
   */
  JwtResult checkClaims(VerifiedJwt jwt, IssuerPolicy policy, Instant now) {
    if (!policy.algorithms().contains(jwt.algorithm())) {
      return new Invalid(Reason.UNSUPPORTED_ALGORITHM, "alg " + jwt.algorithm() + " is not pinned for "
          + policy.issuer());
    }
    Instant early = now.minus(policy.leeway());
    Instant late = now.plus(policy.leeway());
    // RFC 7519 §4.1.4: the current time MUST be before exp; leeway extends that.
    if (!jwt.expiresAt().isAfter(early)) {
      return new Invalid(Reason.EXPIRED, "expired at " + jwt.expiresAt() + " (leeway " + policy.leeway() + ")");
    }
    if (jwt.notBefore() != null && jwt.notBefore().isAfter(late)) {
      return new Invalid(Reason.NOT_YET_VALID, "not valid before " + jwt.notBefore());
    }
    if (jwt.issuedAt() != null && jwt.issuedAt().isAfter(late)) {
      return new Invalid(Reason.ISSUED_IN_FUTURE, "issued in the future, at " + jwt.issuedAt());
    }
    if (!policy.issuer().equals(jwt.issuer())) {
      return new Invalid(Reason.WRONG_ISSUER, "iss is " + Shown.quoted(jwt.issuer()) + ", not " + policy.issuer());
    }
    if (!policy.audiences().isEmpty() && !intersects(policy.audiences(), jwt)) {
      return new Invalid(Reason.WRONG_AUDIENCE, "aud names none of " + policy.audiences());
    }
    return new Valid(jwt);
  }

  private static boolean intersects(Set<String> accepted, VerifiedJwt jwt) {
    for (String audience : jwt.audiences()) {
      if (accepted.contains(audience)) {
        return true;
      }
    }
    return false;
  }

  /** The JSON object in {@code utf8}, or null: invalid UTF-8 is rejected, not replaced with U+FFFD. */
  private static JsonObject jsonObject(byte[] utf8) {
    try {
      String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(utf8)).toString();
      return new JsonObject(text);
    } catch (CharacterCodingException | DecodeException | ClassCastException e) {
      return null;
    }
  }
}
