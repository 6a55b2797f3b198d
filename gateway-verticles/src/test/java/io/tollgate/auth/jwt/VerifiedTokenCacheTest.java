package io.tollgate.auth.jwt;

import static io.tollgate.auth.jwt.JwtVerifierTest.reason;
import static io.tollgate.auth.jwt.JwtVerifierTest.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.auth.jwt.JwtResult.Reason;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class VerifiedTokenCacheTest {

  private static IssuerFixture fixture;
  private static KeySet keys;
  private final JwtVerifier verifier = new JwtVerifier();

  @BeforeAll
  static void startIssuer() {
    fixture = IssuerFixture.start();
    keys = fixture.keys();
  }

  @AfterAll
  static void stopIssuer() {
    fixture.close();
  }

  @Test
  void aRepeatedTokenIsAnsweredFromTheCacheWithTheSameVerifiedJwt() {
    VerifiedTokenCache cache = new VerifiedTokenCache(verifier);
    String token = fixture.idp.mint();
    Instant now = Instant.now();

    VerifiedJwt first = valid(cache.verify(token, fixture.policy(), keys, now));
    VerifiedJwt second = valid(cache.verify(new String(token.toCharArray()), fixture.policy(), keys, now));

    assertThat(second).isSameAs(first);
    assertThat(cache.misses()).isEqualTo(1);
    assertThat(cache.hits()).isEqualTo(1);
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void aHitIsStillHeldToTheAskingPolicy() {
    VerifiedTokenCache cache = new VerifiedTokenCache(verifier);
    String token = fixture.idp.token().aud("orders").sign();
    Instant now = Instant.now();
    IssuerPolicy orders = IssuerPolicy.of(fixture.idp.issuer(), Set.of("orders"), IssuerFixture.ASYMMETRIC);
    IssuerPolicy billing = IssuerPolicy.of(fixture.idp.issuer(), Set.of("billing"), IssuerFixture.ASYMMETRIC);
    IssuerPolicy esOnly = IssuerPolicy.of(fixture.idp.issuer(), Set.of(), EnumSet.of(JwsAlgorithm.ES256));
    IssuerPolicy otherIssuer = IssuerPolicy.of("https://other.example", Set.of(), IssuerFixture.ASYMMETRIC);

    valid(cache.verify(token, orders, keys, now));

    assertThat(reason(cache.verify(token, billing, keys, now))).isEqualTo(Reason.WRONG_AUDIENCE);
    assertThat(reason(cache.verify(token, esOnly, keys, now))).isEqualTo(Reason.UNSUPPORTED_ALGORITHM);
    assertThat(reason(cache.verify(token, otherIssuer, keys, now))).isEqualTo(Reason.WRONG_ISSUER);
    assertThat(cache.hits()).isEqualTo(3);
  }

  @Test
  void nothingIsServedFromTheCacheOnceExpHasPassed() {
    VerifiedTokenCache cache = new VerifiedTokenCache(verifier);
    Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    String token = fixture.idp.token().iat(t0).exp(t0.plusSeconds(60)).sign();
    IssuerPolicy strict = fixture.policy().withLeeway(Duration.ZERO);

    valid(cache.verify(token, strict, keys, t0));
    valid(cache.verify(token, strict, keys, t0.plusSeconds(59)));
    assertThat(cache.hits()).isEqualTo(1);

    assertThat(reason(cache.verify(token, strict, keys, t0.plusSeconds(60)))).isEqualTo(Reason.EXPIRED);
    assertThat(cache.hits()).isEqualTo(1);
    assertThat(cache.size()).isZero();
    // Within the default 30 s leeway a full verification still accepts it, but does not store it again.
    valid(cache.verify(token, fixture.policy(), keys, t0.plusSeconds(70)));
    assertThat(cache.size()).isZero();
    assertThat(cache.hits()).isEqualTo(1);
  }

  @Test
  void theTtlBoundsHowLongASignatureIsTrustedWithoutACheck() {
    VerifiedTokenCache cache = new VerifiedTokenCache(verifier, 100, Duration.ofSeconds(10));
    String token = fixture.idp.mint();
    Instant t0 = Instant.now();

    cache.verify(token, fixture.policy(), keys, t0);
    cache.verify(token, fixture.policy(), keys, t0.plusSeconds(9));
    assertThat(cache.hits()).isEqualTo(1);

    valid(cache.verify(token, fixture.policy(), keys, t0.plusSeconds(10)));
    assertThat(cache.hits()).isEqualTo(1);
    assertThat(cache.misses()).isEqualTo(2);
    valid(cache.verify(token, fixture.policy(), keys, t0.plusSeconds(11)));
    assertThat(cache.hits()).isEqualTo(2);
  }

  @Test
  void capacityIsBoundedAndTheLeastRecentlyUsedTokenGoesFirst() {
    VerifiedTokenCache cache = new VerifiedTokenCache(verifier, 3, Duration.ofMinutes(5));
    String a = fixture.idp.token().sub("a").sign();
    String b = fixture.idp.token().sub("b").sign();
    String c = fixture.idp.token().sub("c").sign();
    String d = fixture.idp.token().sub("d").sign();
    Instant now = Instant.now();

    for (String token : new String[] {a, b, c, a, d}) {
      valid(cache.verify(token, fixture.policy(), keys, now));
    }
    assertThat(cache.size()).isEqualTo(3);
    assertThat(cache.evictions()).isEqualTo(1);
    assertThat(cache.hits()).isEqualTo(1);

    cache.verify(a, fixture.policy(), keys, now);
    assertThat(cache.hits()).isEqualTo(2);
    cache.verify(b, fixture.policy(), keys, now);
    assertThat(cache.hits()).as("b was least recently used when d came").isEqualTo(2);
  }

  @Test
  void rejectedTokensAreNotStored() {
    VerifiedTokenCache cache = new VerifiedTokenCache(verifier);
    Instant now = Instant.now();
    String forged = fixture.idp.token().badSignature().sign();
    String expired = fixture.idp.token().expired().sign();

    for (int i = 0; i < 3; i++) {
      assertThat(reason(cache.verify(forged, fixture.policy(), keys, now))).isEqualTo(Reason.BAD_SIGNATURE);
      assertThat(reason(cache.verify(expired, fixture.policy(), keys, now))).isEqualTo(Reason.EXPIRED);
    }
    assertThat(reason(cache.verify(null, fixture.policy(), keys, now))).isEqualTo(Reason.MALFORMED);
    assertThat(cache.size()).isZero();
    assertThat(cache.hits()).isZero();
  }

  @Test
  void aRefreshWithTheSameKeysKeepsTheCacheWarmAndARetiredKeyEndsItsTokens() {
    // Its own issuer: rotating keys must not disturb the other tests' shared one.
    try (IssuerFixture own = IssuerFixture.start()) {
      VerifiedTokenCache cache = new VerifiedTokenCache(verifier);
      Instant now = Instant.now();
      String oldKid = own.idp.signingKey().kid();
      String token = own.idp.mint();
      valid(cache.verify(token, own.policy(), own.keys(), now));

      valid(cache.verify(token, own.policy(), own.keys(), now));
      assertThat(cache.hits()).as("a re-parsed, unchanged JWKS").isEqualTo(1);

      own.idp.rotate();
      own.idp.retire(oldKid);
      KeySet rotated = own.keys();
      assertThat(rotated.kids()).doesNotContain(oldKid);
      assertThat(reason(cache.verify(token, own.policy(), rotated, now))).isEqualTo(Reason.UNKNOWN_KEY);
      assertThat(cache.hits()).isEqualTo(1);
      assertThat(valid(cache.verify(own.idp.mint(), own.policy(), rotated, now)).keyId())
          .isNotEqualTo(oldKid);
      assertThat(reason(cache.verify(token, own.policy(), KeySet.empty(), now))).isEqualTo(Reason.NO_KEYS);
    }
  }

  @Test
  void aKidWhoseKeyMaterialChangedIsNotTrustedFromTheCache() {
    VerifiedTokenCache cache = new VerifiedTokenCache(verifier);
    Instant now = Instant.now();
    String token = fixture.token(JwsAlgorithm.ES256).sign();
    String kid = fixture.idp.key(IssuerFixture.kit(JwsAlgorithm.ES256)).kid();
    valid(cache.verify(token, fixture.policy(), keys, now));

    // Same kid, another key: e.g. a JWKS served by an impostor after a DNS change, or an IdP reusing kids.
    JsonObject swapped = fixture.idp.jwks();
    for (Object entry : swapped.getJsonArray("keys")) {
      JsonObject jwk = (JsonObject) entry;
      if (jwk.getString("kid").equals(kid)) {
        JsonObject other = strangerJwk();
        jwk.put("x", other.getString("x")).put("y", other.getString("y"));
      }
    }
    KeySet impostor = KeySet.fromJwks(swapped, IssuerFixture.ASYMMETRIC, now);

    assertThat(reason(cache.verify(token, fixture.policy(), impostor, now))).isEqualTo(Reason.BAD_SIGNATURE);
    assertThat(cache.hits()).isZero();
  }

  /** The public JWK of another P-256 key, generated here. */
  private static JsonObject strangerJwk() {
    try {
      java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
      generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
      java.security.interfaces.ECPublicKey key =
          (java.security.interfaces.ECPublicKey) generator.generateKeyPair().getPublic();
      return new JsonObject()
          .put("x", HmacTokens.b64(fixed32(key.getW().getAffineX())))
          .put("y", HmacTokens.b64(fixed32(key.getW().getAffineY())));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] fixed32(java.math.BigInteger value) {
    byte[] bytes = value.toByteArray();
    byte[] out = new byte[32];
    int start = Math.max(0, bytes.length - 32);
    System.arraycopy(bytes, start, out, 32 - (bytes.length - start), bytes.length - start);
    return out;
  }
}
