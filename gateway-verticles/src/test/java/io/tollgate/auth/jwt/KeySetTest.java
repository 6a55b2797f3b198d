package io.tollgate.auth.jwt;

import static io.tollgate.auth.jwt.JwsAlgorithm.ES256;
import static io.tollgate.auth.jwt.JwsAlgorithm.EdDSA;
import static io.tollgate.auth.jwt.JwsAlgorithm.HS256;
import static io.tollgate.auth.jwt.JwsAlgorithm.PS256;
import static io.tollgate.auth.jwt.JwsAlgorithm.RS256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** JWKS parsing (RFC 7517/7518/8037): which keys are kept, for which algorithms, and why others are dropped. */
class KeySetTest {

  private static IssuerFixture fixture;
  private static final Instant FETCHED = Instant.parse("2026-01-02T03:04:05Z");

  @BeforeAll
  static void startIssuer() {
    fixture = IssuerFixture.start();
  }

  @AfterAll
  static void stopIssuer() {
    fixture.close();
  }

  @Test
  void theIssuersJwksGivesOneKeyPerAlgorithmEachLimitedToItsJwkAlg() {
    KeySet keys = KeySet.fromJwks(fixture.idp.jwks(), IssuerFixture.ASYMMETRIC, FETCHED);

    assertThat(keys.kids()).containsExactlyInAnyOrder("rs256-1", "ps256-2", "es256-3", "eddsa-4");
    assertThat(keys.problems()).isEmpty();
    assertThat(keys.size()).isEqualTo(4);
    assertThat(keys.fetchedAt()).isEqualTo(FETCHED);
    assertThat(keys.select("rs256-1", RS256).algorithms()).containsExactly(RS256);
    // Both are RSA keys, but each JWK's alg restricts it.
    assertThat(keys.select("rs256-1", PS256)).isNull();
    assertThat(keys.select("ps256-2", RS256)).isNull();
    assertThat(keys.select("es256-3", ES256)).isNotNull();
    assertThat(keys.select("eddsa-4", EdDSA)).isNotNull();
  }

  @Test
  void keysOfAlgorithmsThatAreNotPinnedAreDroppedAndSaidSo() {
    KeySet keys = KeySet.fromJwks(fixture.idp.jwks(), EnumSet.of(ES256), FETCHED);

    assertThat(keys.kids()).containsExactly("es256-3");
    assertThat(keys.problems()).hasSize(3).allMatch(p -> p.contains("fits none of the pinned algorithms [ES256]"));
  }

  @Test
  void anRsaJwkWithoutAlgServesBothRsaAlgorithmsThatArePinned() {
    JsonObject jwk = jwk("rs256-1");
    jwk.remove("alg");

    assertThat(single(jwk, IssuerFixture.ASYMMETRIC).algorithms()).containsExactlyInAnyOrder(RS256, PS256);
    assertThat(single(jwk, EnumSet.of(PS256, ES256)).algorithms()).containsExactly(PS256);
  }

  @Test
  void keysNotMeantForSignaturesAreDropped() {
    assertDropped(jwk("rs256-1").put("use", "enc"), "use \"enc\" is not \"sig\"");
    assertDropped(jwk("rs256-1").put("key_ops", new JsonArray().add("encrypt")), "key_ops");
    assertDropped(jwk("rs256-1").put("alg", "RSA-OAEP-256"), "alg \"RSA-OAEP-256\" is not supported");
    assertDropped(jwk("rs256-1").put("alg", "ES256"), "alg ES256 does not fit kty RSA");
    assertDropped(jwk("rs256-1").put("alg", "rs256"), "not supported");
    assertThat(single(jwk("rs256-1").put("key_ops", new JsonArray().add("verify")), IssuerFixture.ASYMMETRIC))
        .isNotNull();
    assertThat(single(jwk("rs256-1").put("use", "sig"), IssuerFixture.ASYMMETRIC)).isNotNull();
  }

  @Test
  void unsupportedKeyTypesAndCurvesAreDropped() {
    assertDropped(new JsonObject().put("kty", "oct").put("k", "c2VjcmV0").put("kid", "s"), "symmetric (oct)");
    assertDropped(new JsonObject().put("kid", "no-kty").put("n", "AQAB").put("e", "AQAB"), "kty is missing");
    assertDropped(new JsonObject().put("kty", "RSA-HSM").put("kid", "x"), "kty \"RSA-HSM\" is not supported");
    assertDropped(jwk("es256-3").put("crv", "P-384"), "crv \"P-384\" is not supported");
    assertDropped(jwk("eddsa-4").put("crv", "Ed448"), "crv \"Ed448\"");
    assertDropped(jwk("eddsa-4").put("crv", "X25519"), "crv \"X25519\"");
    // HS256 pinned does not make a JWKS a source of HMAC keys.
    KeySet withHs = KeySet.fromJwks(new JsonObject().put("keys", new JsonArray()
        .add(new JsonObject().put("kty", "oct").put("k", HmacTokens.b64(HmacTokens.SECRET)))), EnumSet.of(HS256),
        FETCHED);
    assertThat(withHs.isEmpty()).isTrue();
  }

  @Test
  void malformedKeyMaterialIsDroppedWithAReason() throws Exception {
    assertDropped(jwk("rs256-1").put("n", jwk("rs256-1").getString("n") + "="), "n is not base64url");
    assertDropped(jwk("rs256-1").put("n", jwk("rs256-1").getString("n").replace('-', '+').replace('_', '/')
        + "+"), "n is not base64url");
    assertDropped(jwk("rs256-1").put("e", 65537), "e is not a string");
    assertDropped(jwk("rs256-1").put("e", HmacTokens.b64(new byte[] {1, 0, 0})), "exponent");
    assertDropped(jwk("rs256-1").put("e", HmacTokens.b64(new byte[] {1})), "exponent");
    assertDropped(jwk("rs256-1").put("n", ""), "n is not base64url");
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    RSAPublicKey small = (RSAPublicKey) generator.generateKeyPair().getPublic();
    assertDropped(jwk("rs256-1").put("n", HmacTokens.b64(unsigned(small.getModulus()))), "1024 bits");
    JsonObject ec = jwk("es256-3");
    assertDropped(ec.copy().put("x", HmacTokens.b64(Arrays.copyOf(decode(ec.getString("x")), 31))),
        "x has 31 bytes, not 32");
    assertDropped(withoutY(ec), "y is missing");
    byte[] y = decode(ec.getString("y"));
    y[31] ^= 1;
    assertDropped(ec.copy().put("y", HmacTokens.b64(y)), "point is not on P-256");
    JsonObject ed = jwk("eddsa-4");
    assertDropped(ed.copy().put("x", HmacTokens.b64(new byte[33])), "x has 33 bytes, not 32");
    assertDropped(jwk("rs256-1").put("kid", 7), "kid is not a string");
  }

  @Test
  void aJwkWithALeadingZeroOctetInItsModulusIsTolerated() {
    JsonObject jwk = jwk("rs256-1");
    byte[] n = decode(jwk.getString("n"));
    byte[] padded = new byte[n.length + 1];
    System.arraycopy(n, 0, padded, 1, n.length);

    VerificationKey key = single(jwk.put("n", HmacTokens.b64(padded)), IssuerFixture.ASYMMETRIC);

    assertThat(((RSAPublicKey) key.key()).getModulus()).isEqualTo(new BigInteger(1, n));
  }

  @Test
  void aDocumentWithoutAKeysArrayIsAnEmptySetWithAProblem() {
    for (JsonObject document : new JsonObject[] {new JsonObject(), new JsonObject().put("keys", "none"),
        new JsonObject().put("keys", new JsonObject()), null}) {
      KeySet keys = KeySet.fromJwks(document, IssuerFixture.ASYMMETRIC, FETCHED);
      assertThat(keys.isEmpty()).isTrue();
      assertThat(keys.problems()).containsExactly("the JWKS has no \"keys\" array");
    }
  }

  @Test
  void entriesThatAreNotObjectsAreSkippedAndTheRestKept() {
    JsonObject jwks = new JsonObject().put("keys", new JsonArray().add("rs256-1").add(42).addNull()
        .add(jwk("es256-3")));

    KeySet keys = KeySet.fromJwks(jwks, IssuerFixture.ASYMMETRIC, FETCHED);

    assertThat(keys.kids()).containsExactly("es256-3");
    assertThat(keys.problems()).containsExactly("keys[0]: not a JSON object", "keys[1]: not a JSON object",
        "keys[2]: not a JSON object");
  }

  @Test
  void aRepeatedKidForTheSameAlgorithmKeepsTheFirstKey() {
    JsonObject first = jwk("rs256-1");
    JsonObject second = jwk("ps256-2").put("kid", "rs256-1").put("alg", "RS256");
    KeySet keys = KeySet.fromJwks(new JsonObject().put("keys", new JsonArray().add(first).add(second)),
        IssuerFixture.ASYMMETRIC, FETCHED);

    assertThat(keys.size()).isEqualTo(1);
    assertThat(keys.select("rs256-1", RS256).key()).isEqualTo(single(first, IssuerFixture.ASYMMETRIC).key());
    assertThat(keys.problems()).singleElement().asString().contains("same kid for RS256");
  }

  @Test
  void oneKidMayNameKeysOfDifferentTypes() {
    // RFC 7517 §4.5 allows equal kids when the kty differs; the token's alg picks among them.
    JsonObject rsa = jwk("rs256-1").put("kid", "shared");
    JsonObject ec = jwk("es256-3").put("kid", "shared");
    KeySet keys = KeySet.fromJwks(new JsonObject().put("keys", new JsonArray().add(rsa).add(ec)),
        IssuerFixture.ASYMMETRIC, FETCHED);

    assertThat(keys.size()).isEqualTo(2);
    assertThat(keys.select("shared", RS256).algorithms()).containsExactly(RS256);
    assertThat(keys.select("shared", ES256).algorithms()).containsExactly(ES256);
    assertThat(keys.select("shared", EdDSA)).isNull();
  }

  @Test
  void keysWithoutKidAreKeptAndOnlyReachableByTokensWithoutKid() {
    JsonObject anonymous = jwk("rs256-1");
    anonymous.remove("kid");
    KeySet keys = KeySet.fromJwks(new JsonObject().put("keys", new JsonArray().add(anonymous)),
        IssuerFixture.ASYMMETRIC, FETCHED);

    assertThat(keys.isEmpty()).isFalse();
    assertThat(keys.kids()).isEmpty();
    assertThat(keys.select(null, RS256)).isNotNull();
    assertThat(keys.select("rs256-1", RS256)).isNull();
    assertThat(keys.select(null, PS256)).isNull();
  }

  @Test
  void hmacSecretsShorterThan32BytesAreRefused() {
    assertThatThrownBy(() -> KeySet.hmac(new byte[31], FETCHED)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 32 bytes");
    assertThatThrownBy(() -> KeySet.hmac(null, FETCHED)).isInstanceOf(IllegalArgumentException.class);

    KeySet hmac = KeySet.hmac(new byte[32], FETCHED);
    assertThat(hmac.size()).isEqualTo(1);
    assertThat(hmac.select(null, HS256)).isNotNull();
    assertThat(hmac.select(null, RS256)).isNull();
    assertThat(hmac.fetchedAt()).isEqualTo(FETCHED);
  }

  @Test
  void theEmptySetIsEmpty() {
    assertThat(KeySet.empty().isEmpty()).isTrue();
    assertThat(KeySet.empty().kids()).isEmpty();
    assertThat(KeySet.empty().problems()).isEmpty();
    assertThat(KeySet.empty().fetchedAt()).isEqualTo(Instant.EPOCH);
  }

  @Test
  void noSecretOrKeyMaterialAppearsInToStringOrProblems() {
    KeySet hmac = KeySet.hmac(HmacTokens.SECRET, FETCHED);
    JsonObject leaky = new JsonObject().put("kty", "oct").put("kid", "k1").put("k", HmacTokens.b64(HmacTokens.SECRET));
    KeySet dropped = KeySet.fromJwks(new JsonObject().put("keys", new JsonArray().add(leaky)), Set.of(HS256), FETCHED);

    assertThat(hmac.toString()).doesNotContain("0123456789abcdef").doesNotContain(HmacTokens.b64(HmacTokens.SECRET));
    assertThat(String.join("\n", dropped.problems())).doesNotContain(HmacTokens.b64(HmacTokens.SECRET));
  }

  private static JsonObject withoutY(JsonObject ec) {
    JsonObject copy = ec.copy();
    copy.remove("y");
    return copy;
  }

  private static JsonObject jwk(String kid) {
    for (Object key : fixture.idp.jwks().getJsonArray("keys")) {
      JsonObject jwk = (JsonObject) key;
      if (kid.equals(jwk.getString("kid"))) {
        return jwk;
      }
    }
    throw new IllegalArgumentException(kid);
  }

  private static VerificationKey single(JsonObject jwk, Set<JwsAlgorithm> pinned) {
    KeySet keys = KeySet.fromJwks(new JsonObject().put("keys", new JsonArray().add(jwk)), pinned, FETCHED);
    assertThat(keys.problems()).isEmpty();
    assertThat(keys.size()).isEqualTo(1);
    String kid = jwk.getString("kid");
    for (JwsAlgorithm algorithm : JwsAlgorithm.values()) {
      VerificationKey key = keys.select(kid, algorithm);
      if (key != null) {
        return key;
      }
    }
    throw new AssertionError("no key selectable");
  }

  private static void assertDropped(JsonObject jwk, String reason) {
    KeySet keys = KeySet.fromJwks(new JsonObject().put("keys", new JsonArray().add(jwk)), IssuerFixture.ASYMMETRIC,
        FETCHED);
    assertThat(keys.isEmpty()).as(jwk.encode()).isTrue();
    assertThat(keys.problems()).singleElement().asString().startsWith("keys[0]").contains(reason);
  }

  private static byte[] decode(String b64) {
    return java.util.Base64.getUrlDecoder().decode(b64);
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }
}
