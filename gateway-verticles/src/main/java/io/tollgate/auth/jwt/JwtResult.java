package io.tollgate.auth.jwt;

import java.util.Objects;

/** The outcome of verifying one token: {@link Valid} or {@link Invalid}, never an exception. */
public sealed interface JwtResult permits JwtResult.Valid, JwtResult.Invalid {

  /** Signature, algorithm, key and every claim check passed. */
  record Valid(VerifiedJwt jwt) implements JwtResult {

    public Valid {
      Objects.requireNonNull(jwt, "jwt");
    }
  }

  /**
   * Rejected.
   *
   * @param reason a stable category, for metrics and the response ({@link Reason#TOO_LARGE} may become 431, the
   *     rest 401)
   * @param detail for logs only: never contains the token; token-supplied values appear quoted, truncated and
   *     reduced to printable ASCII
   */
  record Invalid(Reason reason, String detail) implements JwtResult {

    public Invalid {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /** Why a token was rejected; listed in the order the checks first run. */
  enum Reason {
    /** Longer than {@link IssuerPolicy#maxTokenBytes()}; nothing was decoded. */
    TOO_LARGE,
    /** The key set is empty (no JWKS fetched yet): every token fails, unsigned ones too. */
    NO_KEYS,
    /** Not three strict base64url segments, header or payload not a JSON object, or a claim of the wrong type. */
    MALFORMED,
    /** {@code alg} missing, not an exact JOSE name ({@code none}, {@code NONE}, {@code rs256}) or not pinned. */
    UNSUPPORTED_ALGORITHM,
    /** A {@code crit} header: no extension is understood, so RFC 7515 §4.1.11 requires rejection. */
    UNSUPPORTED_CRITICAL_HEADER,
    /** No key with the token's {@code kid} (or, without a {@code kid}, not exactly one key) for its {@code alg}. */
    UNKNOWN_KEY,
    /** The signature does not verify. */
    BAD_SIGNATURE,
    /** No numeric {@code exp}. */
    MISSING_EXP,
    /** {@code exp} + leeway is not after now. */
    EXPIRED,
    /** {@code nbf} is after now + leeway. */
    NOT_YET_VALID,
    /** {@code iat} is after now + leeway. */
    ISSUED_IN_FUTURE,
    /** {@code iss} missing or not exactly the policy's issuer. */
    WRONG_ISSUER,
    /** The policy names audiences and {@code aud} names none of them. */
    WRONG_AUDIENCE
  }
}
