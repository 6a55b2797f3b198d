package io.tollgate.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.auth.jwt.JwtResult.Invalid;
import io.tollgate.auth.jwt.JwtResult.Reason;
import io.tollgate.auth.jwt.JwtResult.Valid;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Tokens that must verify, and the claim rules (time windows, issuer, audience, claim types). */
class JwtVerifierTest {

  private static final String HS_ISSUER = "https://internal.example";
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

  @ParameterizedTest
  @EnumSource(value = JwsAlgorithm.class, names = {"RS256", "PS256", "ES256", "EdDSA"})
  void aTokenFromTheIssuerVerifiesForEachAsymmetricAlgorithm(JwsAlgorithm algorithm) {
    String token = fixture.token(algorithm).sub("alice").scope("orders:read", "orders:write").sign();

    VerifiedJwt jwt = valid(verifier.verify(token, fixture.policy(), keys, Instant.now()));

    assertThat(jwt.subject()).isEqualTo("alice");
    assertThat(jwt.issuer()).isEqualTo(fixture.idp.issuer());
    assertThat(jwt.algorithm()).isEqualTo(algorithm);
    assertThat(jwt.keyId()).isEqualTo(fixture.idp.key(IssuerFixture.kit(algorithm)).kid());
    assertThat(jwt.strings("scope")).containsExactly("orders:read", "orders:write");
    assertThat(jwt.expiresAt()).isBetween(Instant.now().plus(Duration.ofMinutes(4)),
        Instant.now().plus(Duration.ofMinutes(6)));
    assertThat(jwt.issuedAt()).isNotNull();
    assertThat(jwt.notBefore()).isNull();
  }

  @Test
  void hs256VerifiesWithTheConfiguredSecretOnly() {
    String token = HmacTokens.sign(HmacTokens.HS256_HEADER, "{\"iss\":\"" + HS_ISSUER + "\",\"sub\":\"svc\",\"exp\":"
        + Instant.now().plusSeconds(60).getEpochSecond() + "}");
    IssuerPolicy policy = IssuerPolicy.of(HS_ISSUER, Set.of(), EnumSet.of(JwsAlgorithm.HS256));

    Instant now = Instant.now();

    assertThat(valid(verifier.verify(token, policy, KeySet.hmac(HmacTokens.SECRET, now), now)).subject())
        .isEqualTo("svc");
    byte[] otherSecret = HmacTokens.SECRET.clone();
    otherSecret[0] ^= 1;
    assertThat(reason(verifier.verify(token, policy, KeySet.hmac(otherSecret, now), now)))
        .isEqualTo(Reason.BAD_SIGNATURE);
  }

  @Test
  void theHmacKeySetKeepsItsOwnCopyOfTheSecret() {
    byte[] secret = HmacTokens.SECRET.clone();
    KeySet hmac = KeySet.hmac(secret, Instant.now());
    secret[0] ^= 1;
    String token = HmacTokens.sign(HmacTokens.HS256_HEADER, "{\"iss\":\"" + HS_ISSUER + "\",\"exp\":"
        + Instant.now().plusSeconds(60).getEpochSecond() + "}");

    assertThat(verifier.verify(token, IssuerPolicy.of(HS_ISSUER, Set.of(), EnumSet.of(JwsAlgorithm.HS256)), hmac,
        Instant.now())).isInstanceOf(Valid.class);
  }

  @Test
  void anHmacKeyWithAKidIsFoundByThatKidOnly() {
    IssuerPolicy policy = IssuerPolicy.of(HS_ISSUER, Set.of(), EnumSet.of(JwsAlgorithm.HS256));
    KeySet named = KeySet.hmac("dev-1", HmacTokens.SECRET, Instant.now());
    String claims = "{\"iss\":\"" + HS_ISSUER + "\",\"exp\":" + Instant.now().plusSeconds(60).getEpochSecond() + "}";

    assertThat(verifier.verify(HmacTokens.sign("{\"alg\":\"HS256\",\"kid\":\"dev-1\"}", claims), policy, named,
        Instant.now())).isInstanceOf(Valid.class);
    assertThat(reason(verifier.verify(HmacTokens.sign("{\"alg\":\"HS256\",\"kid\":\"dev-2\"}", claims), policy,
        named, Instant.now()))).isEqualTo(Reason.UNKNOWN_KEY);
    assertThat(reason(verifier.verify(HmacTokens.sign("{\"alg\":\"HS256\",\"kid\":\"dev-1\"}", claims), policy,
        KeySet.hmac(HmacTokens.SECRET, Instant.now()), Instant.now()))).isEqualTo(Reason.UNKNOWN_KEY);
  }

  @Test
  void aTokenWithoutKidUsesTheOnlyKeyForItsAlgorithmAndNoneWhenThereAreSeveral() {
    // The JWKS has one RS256 key (rs256-1; ps256-2 is an RSA key too, but its JWK says alg PS256).
    String token = fixture.token(JwsAlgorithm.RS256).header("kid", null).sign();

    assertThat(verifier.verify(token, fixture.policy(), keys, Instant.now())).isInstanceOf(Valid.class);

    JsonObject twoRsaKeys = fixture.idp.jwks();
    JsonObject copy = twoRsaKeys.getJsonArray("keys").getJsonObject(0).copy().put("kid", "rs256-copy");
    twoRsaKeys.getJsonArray("keys").add(copy);
    KeySet ambiguous = KeySet.fromJwks(twoRsaKeys, IssuerFixture.ASYMMETRIC, Instant.now());
    Invalid invalid = invalid(verifier.verify(token, fixture.policy(), ambiguous, Instant.now()));
    assertThat(invalid.reason()).isEqualTo(Reason.UNKNOWN_KEY);
    assertThat(invalid.detail()).contains("2 keys could verify RS256");
  }

  @Test
  void audienceMustIntersectWhenThePolicyNamesAudiences() {
    IssuerPolicy gateway = IssuerPolicy.of(fixture.idp.issuer(), Set.of("tollgate", "tollgate-admin"),
        IssuerFixture.ASYMMETRIC);
    Instant now = Instant.now();

    assertThat(valid(verifier.verify(fixture.idp.token().aud("tollgate").sign(), gateway, keys, now)).audiences())
        .containsExactly("tollgate");
    assertThat(valid(verifier.verify(fixture.idp.token().aud("billing", "tollgate-admin").sign(), gateway, keys,
        now)).audiences()).containsExactly("billing", "tollgate-admin");
    assertThat(reason(verifier.verify(fixture.idp.token().aud("billing", "crm").sign(), gateway, keys, now)))
        .isEqualTo(Reason.WRONG_AUDIENCE);
    assertThat(reason(verifier.verify(fixture.idp.token().sign(), gateway, keys, now)))
        .isEqualTo(Reason.WRONG_AUDIENCE);
    assertThat(reason(verifier.verify(fixture.idp.token().aud("TOLLGATE").sign(), gateway, keys, now)))
        .isEqualTo(Reason.WRONG_AUDIENCE);
  }

  @Test
  void anEmptyAudienceSetMeansAudIsNotChecked() {
    Instant now = Instant.now();

    assertThat(verifier.verify(fixture.idp.token().aud("anything").sign(), fixture.policy(), keys, now))
        .isInstanceOf(Valid.class);
    assertThat(valid(verifier.verify(fixture.idp.token().sign(), fixture.policy(), keys, now)).audiences())
        .isEmpty();
  }

  @Test
  void expiryHonoursTheLeewayAndNotOneSecondMore() {
    Instant exp = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(60);
    String token = fixture.idp.token().iat(exp.minusSeconds(120)).exp(exp).sign();
    IssuerPolicy policy = fixture.policy().withLeeway(Duration.ofSeconds(30));

    assertThat(verifier.verify(token, policy, keys, exp.minusMillis(1))).isInstanceOf(Valid.class);
    assertThat(verifier.verify(token, policy, keys, exp.plusSeconds(29))).isInstanceOf(Valid.class);
    assertThat(reason(verifier.verify(token, policy, keys, exp.plusSeconds(30)))).isEqualTo(Reason.EXPIRED);
    assertThat(reason(verifier.verify(token, policy.withLeeway(Duration.ZERO), keys, exp)))
        .isEqualTo(Reason.EXPIRED);
  }

  @Test
  void notBeforeAndIssuedAtHonourTheLeeway() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    IssuerPolicy policy = fixture.policy().withLeeway(Duration.ofSeconds(30));
    String nbf30 = fixture.idp.token().nbf(now.plusSeconds(30)).exp(now.plusSeconds(600)).sign();
    String nbf31 = fixture.idp.token().nbf(now.plusSeconds(31)).exp(now.plusSeconds(600)).sign();
    String iat30 = fixture.idp.token().iat(now.plusSeconds(30)).exp(now.plusSeconds(600)).sign();
    String iat31 = fixture.idp.token().iat(now.plusSeconds(31)).exp(now.plusSeconds(600)).sign();

    assertThat(verifier.verify(nbf30, policy, keys, now)).isInstanceOf(Valid.class);
    assertThat(reason(verifier.verify(nbf31, policy, keys, now))).isEqualTo(Reason.NOT_YET_VALID);
    assertThat(verifier.verify(iat30, policy, keys, now)).isInstanceOf(Valid.class);
    assertThat(reason(verifier.verify(iat31, policy, keys, now))).isEqualTo(Reason.ISSUED_IN_FUTURE);
  }

  @Test
  void numericDatesMayBeFractionalOrHugeButNotStringsOrInfinite() {
    IssuerPolicy policy = IssuerPolicy.of(HS_ISSUER, Set.of(), EnumSet.of(JwsAlgorithm.HS256));
    KeySet hmac = KeySet.hmac(HmacTokens.SECRET, Instant.now());
    Instant now = Instant.ofEpochSecond(1_700_000_000L);

    assertThat(valid(verifier.verify(claims("\"exp\":1700000100.25"), policy, hmac, now)).expiresAt())
        .isEqualTo(Instant.ofEpochSecond(1_700_000_100L, 250_000_000L));
    assertThat(valid(verifier.verify(claims("\"exp\":1e20"), policy, hmac, now)).expiresAt())
        .isAfter(now.plus(Duration.ofDays(365L * 1_000_000)));
    assertThat(valid(verifier.verify(claims("\"exp\":123456789012345678901234567890"), policy, hmac, now))
        .expiresAt()).isAfter(now);
    assertThat(reason(verifier.verify(claims("\"exp\":\"1800000000\""), policy, hmac, now)))
        .isEqualTo(Reason.MALFORMED);
    assertThat(reason(verifier.verify(claims("\"exp\":1e400"), policy, hmac, now))).isEqualTo(Reason.MALFORMED);
    assertThat(reason(verifier.verify(claims("\"exp\":null"), policy, hmac, now))).isEqualTo(Reason.MISSING_EXP);
    assertThat(reason(verifier.verify(claims("\"exp\":1800000000,\"nbf\":true"), policy, hmac, now)))
        .isEqualTo(Reason.MALFORMED);
    assertThat(reason(verifier.verify(claims("\"exp\":-1e20"), policy, hmac, now))).isEqualTo(Reason.EXPIRED);
  }

  @Test
  void registeredClaimsOfTheWrongTypeAreMalformed() {
    IssuerPolicy policy = IssuerPolicy.of(HS_ISSUER, Set.of("a"), EnumSet.of(JwsAlgorithm.HS256));
    KeySet hmac = KeySet.hmac(HmacTokens.SECRET, Instant.now());
    Instant now = Instant.ofEpochSecond(1_700_000_000L);

    assertThat(verifier.verify(claims("\"exp\":1800000000,\"aud\":[\"a\"]"), policy, hmac, now))
        .isInstanceOf(Valid.class);
    for (String bad : List.of("\"aud\":[\"a\",1]", "\"aud\":{\"a\":1}", "\"sub\":42", "\"aud\":\"a\",\"sub\":[]")) {
      assertThat(reason(verifier.verify(claims("\"exp\":1800000000," + bad), policy, hmac, now)))
          .as(bad).isEqualTo(Reason.MALFORMED);
    }
    assertThat(invalid(verifier.verify(HmacTokens.sign(HmacTokens.HS256_HEADER,
        "{\"iss\":42,\"exp\":1800000000,\"aud\":\"a\"}"), policy, hmac, now)).detail()).contains("iss");
  }

  @Test
  void claimsAreCopiedOutSoACachedTokenCannotBeChangedByOneRequest() {
    VerifiedJwt jwt = valid(verifier.verify(fixture.idp.token().roles("admin").sign(), fixture.policy(), keys,
        Instant.now()));

    JsonObject copy = jwt.claims();
    copy.put("sub", "mallory");
    copy.getJsonArray("roles").add("root");

    assertThat(jwt.subject()).isEqualTo("test-user");
    assertThat(jwt.claims().getString("sub")).isEqualTo("test-user");
    assertThat(jwt.strings("roles")).containsExactly("admin");
    assertThat(jwt.claims().getJsonArray("roles")).isEqualTo(new JsonArray().add("admin"));
  }

  @Test
  void oneVerifierIsSafeToShareBetweenThreads() throws Exception {
    List<String> good = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (JwsAlgorithm algorithm : IssuerFixture.ASYMMETRIC) {
      good.add(fixture.token(algorithm).sign());
      bad.add(fixture.token(algorithm).badSignature().sign());
    }
    IssuerPolicy policy = fixture.policy();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        tasks.add(() -> {
          for (int i = 0; i < 200; i++) {
            String token = (i % 2 == 0 ? good : bad).get(i / 2 % good.size());
            boolean valid = verifier.verify(token, policy, keys, Instant.now()) instanceof Valid;
            if (valid != (i % 2 == 0)) {
              return false;
            }
          }
          return true;
        });
      }
      for (Future<Boolean> result : pool.invokeAll(tasks)) {
        assertThat(result.get()).isTrue();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static String claims(String members) {
    return HmacTokens.sign(HmacTokens.HS256_HEADER, "{\"iss\":\"" + HS_ISSUER + "\"," + members + "}");
  }

  static VerifiedJwt valid(JwtResult result) {
    assertThat(result).isInstanceOf(Valid.class);
    return ((Valid) result).jwt();
  }

  static Invalid invalid(JwtResult result) {
    assertThat(result).isInstanceOf(Invalid.class);
    return (Invalid) result;
  }

  static Reason reason(JwtResult result) {
    return invalid(result).reason();
  }
}
