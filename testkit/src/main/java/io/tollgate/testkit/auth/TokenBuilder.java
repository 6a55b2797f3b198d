package io.tollgate.testkit.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A JWT under construction, made by {@link TokenIssuer#token()}; {@link #sign()} returns its compact form.
 * Not thread-safe: build on one thread. Every method returns this builder.
 *
 * <p>Defaults: {@code iss} = {@link TokenIssuer#issuer()}, {@code sub} = {@code test-user}, {@code iat} = now,
 * {@code exp} = now + {@link IssuerOptions#tokenLifetime()}, {@code aud} = {@link IssuerOptions#audience()}
 * when set; header {@code alg}, {@code typ: JWT}, {@code kid} of the issuer's current signing key. Times are
 * NumericDate (whole seconds).
 *
 * <p>Forgeries ({@link #algNone()} … {@link #jku(String)}) make tokens a correct verifier must reject; only
 * the last one called applies. "Stranger" keys used by some are generated per issuer on first use (RSA: up to
 * a few hundred ms), so mint forged tokens from a test thread.
 */
public final class TokenBuilder {

  /** How far {@link #expired()}, {@link #notYetValid()} and {@link #issuedInFuture()} move a time: well past
   *  any clock-skew leeway a gateway would allow (commonly 30 s to 5 min). */
  private static final Duration FAR = Duration.ofMinutes(10);

  enum Forgery { NONE, ALG_NONE, BAD_SIGNATURE, ALG_CONFUSION, UNKNOWN_KID, FOREIGN_KEY, EMBEDDED_JWK, JKU }

  private final TokenIssuer issuer;
  private final Instant now;
  private final JsonObject claims = new JsonObject();
  private final JsonObject extraHeaders = new JsonObject();
  private JwsAlgorithm algorithm;
  private String kid;
  private Forgery forgery = Forgery.NONE;
  private String jkuUrl;

  TokenBuilder(TokenIssuer issuer, IssuerOptions options, Instant now) {
    this.issuer = issuer;
    this.now = now;
    claims.put("iss", issuer.issuer()).put("sub", "test-user");
    if (options.audience() != null) {
      claims.put("aud", options.audience());
    }
    iat(now).exp(now.plus(options.tokenLifetime()));
  }

  public TokenBuilder sub(String subject) {
    return claim("sub", subject);
  }

  /** Overrides {@code iss}, e.g. to mint a token claiming another issuer. */
  public TokenBuilder iss(String issuerId) {
    return claim("iss", issuerId);
  }

  /** {@code scope} as one space-separated string (RFC 8693 §4.2), e.g. {@code scope("orders:read", "orders:write")}. */
  public TokenBuilder scope(String... scopes) {
    return claim("scope", String.join(" ", scopes));
  }

  /** {@code roles} as a JSON array of strings. */
  public TokenBuilder roles(String... roles) {
    return claim("roles", new JsonArray(Arrays.asList((Object[]) roles)));
  }

  /** {@code aud}: a string for one audience, an array for several (RFC 7519 §4.1.3), removed for none. */
  public TokenBuilder aud(String... audiences) {
    if (audiences.length == 0) {
      return without("aud");
    }
    return claim("aud", audiences.length == 1 ? audiences[0] : new JsonArray(Arrays.asList((Object[]) audiences)));
  }

  /** Sets any claim; {@code value} must be JSON-compatible (String, Number, Boolean, JsonObject, JsonArray). */
  public TokenBuilder claim(String name, Object value) {
    claims.put(Objects.requireNonNull(name, "name"), value);
    return this;
  }

  /** Sets every claim in {@code values}, replacing defaults with the same name. */
  public TokenBuilder claims(JsonObject values) {
    values.forEach(entry -> claims.put(entry.getKey(), entry.getValue()));
    return this;
  }

  /** Removes a claim, default or not, e.g. {@code without("exp")}. */
  public TokenBuilder without(String name) {
    claims.remove(name);
    return this;
  }

  /** {@code iat}. */
  public TokenBuilder iat(Instant time) {
    return claim("iat", time.getEpochSecond());
  }

  /** {@code nbf}. */
  public TokenBuilder nbf(Instant time) {
    return claim("nbf", time.getEpochSecond());
  }

  /** {@code exp}. */
  public TokenBuilder exp(Instant time) {
    return claim("exp", time.getEpochSecond());
  }

  /** {@code exp} = now + {@code lifetime}; a negative lifetime makes an expired token. */
  public TokenBuilder expiresIn(Duration lifetime) {
    return exp(now.plus(lifetime));
  }

  /** Expired 10 minutes ago (issued 20 minutes ago). */
  public TokenBuilder expired() {
    return iat(now.minus(FAR.multipliedBy(2))).exp(now.minus(FAR));
  }

  /** {@code nbf} 10 minutes from now. */
  public TokenBuilder notYetValid() {
    return nbf(now.plus(FAR));
  }

  /** {@code iat} 10 minutes from now ({@code exp} moved past it). */
  public TokenBuilder issuedInFuture() {
    return iat(now.plus(FAR)).exp(now.plus(FAR.multipliedBy(2)));
  }

  /** Signs with the issuer's newest published key of {@code alg}. */
  public TokenBuilder alg(JwsAlgorithm alg) {
    this.algorithm = Objects.requireNonNull(alg, "alg");
    this.kid = null;
    return this;
  }

  /** Signs with the key {@code keyId}, retired ones included (a token from before a rotation). */
  public TokenBuilder kid(String keyId) {
    this.kid = Objects.requireNonNull(keyId, "keyId");
    this.algorithm = null;
    return this;
  }

  /** Adds or overrides a protected-header member, applied last (so it can even replace {@code alg}). */
  public TokenBuilder header(String name, Object value) {
    extraHeaders.put(name, value);
    return this;
  }

  /** Unsecured JWS: header {@code alg: none}, no {@code kid}, empty signature (RFC 7519 §6). */
  public TokenBuilder algNone() {
    return forge(Forgery.ALG_NONE);
  }

  /** Signed correctly by the chosen key, then one bit of the signature flipped. */
  public TokenBuilder badSignature() {
    return forge(Forgery.BAD_SIGNATURE);
  }

  /**
   * Algorithm confusion (CVE-2015-9235): header {@code alg: HS256} with the chosen key's {@code kid}, MACed with
   * the bytes of that key's public PEM ({@code -----BEGIN PUBLIC KEY-----}, 64-char lines, final newline) — what a
   * verifier that feeds "the key" to whatever {@code alg} says would check it against.
   */
  public TokenBuilder algConfusion() {
    return forge(Forgery.ALG_CONFUSION);
  }

  /**
   * Signed by the chosen (published) key but with a {@code kid} the JWKS never lists: a verifier that falls back
   * to "try every key" accepts it, one that selects by {@code kid} must refetch the JWKS and then reject it.
   */
  public TokenBuilder unknownKid() {
    return forge(Forgery.UNKNOWN_KID);
  }

  /** Signed by a never-published key of the chosen algorithm, with that key's own {@code kid}. */
  public TokenBuilder foreignKey() {
    return forge(Forgery.FOREIGN_KEY);
  }

  /**
   * Signed by a never-published key whose public JWK is embedded in the header ({@code jwk}, RFC 7515 §4.1.3;
   * CVE-2018-0114): only a verifier that trusts embedded keys accepts it.
   */
  public TokenBuilder embeddedJwk() {
    return forge(Forgery.EMBEDDED_JWK);
  }

  /**
   * Signed by a never-published key, with header {@code jku} pointing at the issuer's own
   * {@link TokenIssuer#attackerJwksUri()}, which serves that key — so a verifier that follows {@code jku} would
   * accept it, and {@link TokenIssuer#attackerJwksFetches()} shows whether one tried.
   */
  public TokenBuilder jku() {
    return jku(issuer.attackerJwksUri());
  }

  /** As {@link #jku()}, with the {@code jku} header set to {@code url}. */
  public TokenBuilder jku(String url) {
    this.jkuUrl = Objects.requireNonNull(url, "url");
    return forge(Forgery.JKU);
  }

  /** The compact serialisation {@code header.payload.signature}. */
  public String sign() {
    KeyRing ring = issuer.keyRing();
    SigningKey chosen = kid != null ? ring.byKid(kid) : algorithm != null ? ring.active(algorithm) : ring.signingKey();
    SigningKey signer = switch (forgery) {
      case FOREIGN_KEY, EMBEDDED_JWK, JKU -> ring.stranger(chosen.algorithm());
      default -> chosen;
    };
    JsonObject header = header(signer);
    String input = Jose.b64(header) + "." + Jose.b64(claims);
    byte[] inputBytes = input.getBytes(StandardCharsets.US_ASCII);
    byte[] signature = switch (forgery) {
      case ALG_NONE -> new byte[0];
      case ALG_CONFUSION -> hmacSha256(Jose.pem(signer.publicKey()).getBytes(StandardCharsets.US_ASCII), inputBytes);
      case BAD_SIGNATURE -> flipBit(signer.sign(inputBytes));
      default -> signer.sign(inputBytes);
    };
    return input + "." + Jose.b64(signature);
  }

  private JsonObject header(SigningKey signer) {
    JsonObject header = new JsonObject();
    switch (forgery) {
      case ALG_NONE -> header.put("alg", "none").put("typ", "JWT");
      case ALG_CONFUSION -> header.put("alg", "HS256").put("typ", "JWT").put("kid", signer.kid());
      case UNKNOWN_KID -> header.put("alg", signer.algorithm().joseName()).put("typ", "JWT")
          .put("kid", "unknown-" + signer.kid());
      default -> header.put("alg", signer.algorithm().joseName()).put("typ", "JWT").put("kid", signer.kid());
    }
    if (forgery == Forgery.EMBEDDED_JWK) {
      header.put("jwk", signer.publicJwk());
    } else if (forgery == Forgery.JKU) {
      header.put("jku", jkuUrl);
    }
    extraHeaders.forEach(entry -> header.put(entry.getKey(), entry.getValue()));
    return header;
  }

  private TokenBuilder forge(Forgery kind) {
    this.forgery = kind;
    return this;
  }

  private static byte[] flipBit(byte[] signature) {
    // The middle byte: flipping the first could push an RSA signature over the modulus, the last an Ed25519 S
    // over the group order — both rejected for a reason other than "signature does not match".
    signature[signature.length / 2] ^= 0x01;
    return signature;
  }

  private static byte[] hmacSha256(byte[] key, byte[] input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(input);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
