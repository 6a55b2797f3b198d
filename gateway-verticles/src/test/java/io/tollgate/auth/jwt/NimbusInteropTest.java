package io.tollgate.auth.jwt;

import static io.tollgate.auth.jwt.JwtVerifierTest.reason;
import static io.tollgate.auth.jwt.JwtVerifierTest.valid;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tollgate.auth.jwt.JwtResult.Reason;
import io.vertx.core.json.JsonObject;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tokens and JWKS made by an independent JOSE implementation, Nimbus JOSE+JWT, must verify too. Nimbus signs
 * Ed25519 only through Google Tink, which is not available offline here: for EdDSA Nimbus still builds the
 * header, payload and compact serialization and publishes the JWK, and the signature itself comes from the JDK
 * through a small {@link JWSSigner}.
 */
class NimbusInteropTest {

  private static final String ISSUER = "https://nimbus.example";
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
  private static RSAKey rsa;
  private static ECKey ec;
  private static KeyPair ed25519;
  private static OctetKeyPair okp;
  private static KeySet keys;
  private final JwtVerifier verifier = new JwtVerifier();

  @BeforeAll
  static void generateKeys() throws Exception {
    rsa = new RSAKeyGenerator(2048).keyID("nimbus-rsa").keyUse(KeyUse.SIGNATURE).generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("nimbus-ec").algorithm(JWSAlgorithm.ES256).generate();
    ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    byte[] spki = ed25519.getPublic().getEncoded();
    okp = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Arrays.copyOfRange(spki, spki.length - 32,
        spki.length))).keyID("nimbus-ed").keyUse(KeyUse.SIGNATURE).build();
    JWKSet published = new JWKSet(List.<JWK>of(rsa.toPublicJWK(), ec.toPublicJWK(), okp.toPublicJWK()));
    keys = KeySet.fromJwks(new JsonObject(published.toJSONObject(true)), IssuerFixture.ASYMMETRIC, NOW);
  }

  @Test
  void theNimbusJwksParsesWithoutProblems() {
    assertThat(keys.problems()).isEmpty();
    assertThat(keys.kids()).containsExactlyInAnyOrder("nimbus-rsa", "nimbus-ec", "nimbus-ed");
    assertThat(keys.select("nimbus-rsa", io.tollgate.auth.jwt.JwsAlgorithm.PS256)).isNotNull();
  }

  @Test
  void rs256() throws Exception {
    assertVerifies(mint(JWSAlgorithm.RS256, "nimbus-rsa", new RSASSASigner(rsa)));
  }

  @Test
  void ps256() throws Exception {
    assertVerifies(mint(JWSAlgorithm.PS256, "nimbus-rsa", new RSASSASigner(rsa)));
  }

  @Test
  void es256() throws Exception {
    assertVerifies(mint(JWSAlgorithm.ES256, "nimbus-ec", new ECDSASigner(ec)));
  }

  @Test
  void edDsaWithNimbusFramingAndAJdkSignature() throws Exception {
    assertVerifies(mint(JWSAlgorithm.EdDSA, "nimbus-ed", new JdkEd25519Signer(ed25519.getPrivate())));
  }

  @Test
  void hs256() throws Exception {
    byte[] secret = "a 32-byte secret for Nimbus HS!!".getBytes();
    String token = mint(JWSAlgorithm.HS256, null, new MACSigner(secret));
    IssuerPolicy policy = IssuerPolicy.of(ISSUER, Set.of("tollgate"),
        EnumSet.of(io.tollgate.auth.jwt.JwsAlgorithm.HS256));

    VerifiedJwt jwt = valid(verifier.verify(token, policy, KeySet.hmac(secret, NOW), NOW));

    assertThat(jwt.subject()).isEqualTo("nimbus-user");
  }

  @Test
  void aNimbusTokenWithAChangedPayloadFails() throws Exception {
    String good = mint(JWSAlgorithm.ES256, "nimbus-ec", new ECDSASigner(ec));
    String[] parts = good.split("\\.");
    String forged = parts[0] + "." + HmacTokens.b64(new String(Base64URL.from(parts[1]).decode())
        .replace("nimbus-user", "root-user")) + "." + parts[2];

    assertThat(reason(verifier.verify(forged, policy(), keys, NOW))).isEqualTo(Reason.BAD_SIGNATURE);
  }

  private void assertVerifies(String token) {
    VerifiedJwt jwt = valid(verifier.verify(token, policy(), keys, NOW));

    assertThat(jwt.subject()).isEqualTo("nimbus-user");
    assertThat(jwt.audiences()).containsExactly("tollgate", "other");
    assertThat(jwt.expiresAt()).isEqualTo(NOW.plusSeconds(300));
    assertThat(jwt.notBefore()).isEqualTo(NOW.minusSeconds(5));
    assertThat(jwt.strings("scope")).containsExactly("orders:read", "orders:write");
    assertThat(jwt.strings("realm_access.roles")).containsExactly("admin");
  }

  private static IssuerPolicy policy() {
    return IssuerPolicy.of(ISSUER, Set.of("tollgate"), IssuerFixture.ASYMMETRIC);
  }

  private static String mint(JWSAlgorithm algorithm, String kid, JWSSigner signer) throws JOSEException {
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("nimbus-user")
        .audience(List.of("tollgate", "other"))
        .issueTime(Date.from(NOW))
        .notBeforeTime(Date.from(NOW.minusSeconds(5)))
        .expirationTime(Date.from(NOW.plusSeconds(300)))
        .claim("scope", "orders:read orders:write")
        .claim("realm_access", Map.of("roles", List.of("admin")))
        .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(kid).type(JOSEObjectType.JWT).build(),
        claims);
    jwt.sign(signer);
    return jwt.serialize();
  }

  /** Ed25519 through the JDK, for Nimbus to call (its own Ed25519Signer needs Tink). */
  private static final class JdkEd25519Signer implements JWSSigner {

    private final PrivateKey key;
    private final JCAContext context = new JCAContext();

    JdkEd25519Signer(PrivateKey key) {
      this.key = key;
    }

    @Override
    public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
      try {
        Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(key);
        signature.update(signingInput);
        return Base64URL.encode(signature.sign());
      } catch (GeneralSecurityException e) {
        throw new JOSEException(e.getMessage(), e);
      }
    }

    @Override
    public Set<JWSAlgorithm> supportedJWSAlgorithms() {
      return Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
    }

    @Override
    public JCAContext getJCAContext() {
      return context;
    }
  }
}
