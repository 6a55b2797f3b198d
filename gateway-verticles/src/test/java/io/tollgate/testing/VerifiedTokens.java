package io.tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.auth.Principal;
import io.tollgate.auth.jwt.IssuerPolicy;
import io.tollgate.auth.jwt.JwsAlgorithm;
import io.tollgate.auth.jwt.JwtResult;
import io.tollgate.auth.jwt.JwtVerifier;
import io.tollgate.auth.jwt.KeySet;
import io.tollgate.auth.jwt.VerifiedJwt;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Real verified tokens for unit tests of policies that read claims: HS256-signed, then verified by the gateway. */
public final class VerifiedTokens {

  public static final String ISSUER = "https://idp.example";
  /** The HS256 secret, as configured in {@code hs256Secret} by tests that run a gateway. */
  public static final String SECRET_TEXT = "0123456789abcdef0123456789abcdef";
  private static final byte[] SECRET = SECRET_TEXT.getBytes(StandardCharsets.US_ASCII);

  private VerifiedTokens() {
  }

  /** A compact HS256 token with {@code claims} plus {@code iss} and an {@code exp} {@code ttlSeconds} ahead. */
  public static String hs256(JsonObject claims, long ttlSeconds) {
    JsonObject all = claims.copy().put("iss", ISSUER).put("exp", Instant.now().getEpochSecond() + ttlSeconds);
    String input = b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}") + "." + b64(all.encode());
    return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(input));
  }

  /** A token with {@code claims} (plus {@code iss} and a 5-minute {@code exp}), verified. */
  public static VerifiedJwt verified(JsonObject claims) {
    String token = hs256(claims, 300);
    JwtResult result = new JwtVerifier().verify(token, IssuerPolicy.of(ISSUER, Set.of(), Set.of(JwsAlgorithm.HS256)),
        KeySet.hmac(SECRET, Instant.now()), Instant.now());
    assertThat(result).isInstanceOf(JwtResult.Valid.class);
    return ((JwtResult.Valid) result).jwt();
  }

  /** The principal {@code AuthenticationPolicy} would store for such a token. */
  public static Principal principal(JsonObject claims) {
    VerifiedJwt jwt = verified(claims);
    return new Principal(Principal.Kind.JWT, jwt.subject(), "main", Set.of(), Set.of(), jwt);
  }

  private static String b64(String text) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] hmac(String input) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
      return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
