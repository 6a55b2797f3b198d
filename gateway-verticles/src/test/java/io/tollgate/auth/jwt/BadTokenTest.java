package io.tollgate.auth.jwt;

import static io.tollgate.auth.jwt.JwsAlgorithm.ES256;
import static io.tollgate.auth.jwt.JwsAlgorithm.EdDSA;
import static io.tollgate.auth.jwt.JwsAlgorithm.HS256;
import static io.tollgate.auth.jwt.JwsAlgorithm.PS256;
import static io.tollgate.auth.jwt.JwsAlgorithm.RS256;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.auth.jwt.JwtResult.Invalid;
import io.tollgate.auth.jwt.JwtResult.Reason;
import io.vertx.core.json.JsonArray;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The bad-token matrix of issue 4: every token here must be rejected, for the stated reason, with a detail that
 * does not repeat the token. Tokens are minted by the test kit's issuer, whose keys are the ones trusted.
 */
class BadTokenTest {

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
    // No test may have made the gateway side fetch the attacker's key set (jku).
    assertThat(fixture.idp.attackerJwksFetches()).isZero();
    fixture.close();
  }

  static Stream<Arguments> forgeries() {
    return Stream.of(
        bad("alg none", f -> f.idp.token().algNone().sign(), Reason.UNSUPPORTED_ALGORITHM),
        bad("alg None", f -> f.idp.token().algNone().header("alg", "None").sign(), Reason.UNSUPPORTED_ALGORITHM),
        bad("alg NONE", f -> f.idp.token().algNone().header("alg", "NONE").sign(), Reason.UNSUPPORTED_ALGORITHM),
        bad("alg nOnE", f -> f.idp.token().algNone().header("alg", "nOnE").sign(), Reason.UNSUPPORTED_ALGORITHM),
        bad("alg none with the real kid and signature",
            f -> swapHeader(f.idp.mint(), "{\"alg\":\"none\",\"kid\":\"rs256-1\"}"), Reason.UNSUPPORTED_ALGORITHM),
        bad("alg rs256 (wrong case)", f -> f.idp.token().header("alg", "rs256").sign(), Reason.UNSUPPORTED_ALGORITHM),
        bad("alg missing", f -> f.idp.token().header("alg", null).sign(), Reason.UNSUPPORTED_ALGORITHM),
        bad("alg as an array", f -> f.idp.token().header("alg", new JsonArray().add("RS256")).sign(),
            Reason.UNSUPPORTED_ALGORITHM),
        bad("alg RS512", f -> f.idp.token().header("alg", "RS512").sign(), Reason.UNSUPPORTED_ALGORITHM),
        bad("alg confusion: HS256 MACed with the RSA public key", f -> f.idp.token().algConfusion().sign(),
            Reason.UNSUPPORTED_ALGORITHM),
        bad("modified payload RS256", f -> swapPayload(f.token(RS256).sign(), f.token(RS256).sub("admin").sign()),
            Reason.BAD_SIGNATURE),
        bad("modified payload PS256", f -> swapPayload(f.token(PS256).sign(), f.token(PS256).sub("admin").sign()),
            Reason.BAD_SIGNATURE),
        bad("modified payload ES256", f -> swapPayload(f.token(ES256).sign(), f.token(ES256).sub("admin").sign()),
            Reason.BAD_SIGNATURE),
        bad("modified payload EdDSA", f -> swapPayload(f.token(EdDSA).sign(), f.token(EdDSA).sub("admin").sign()),
            Reason.BAD_SIGNATURE),
        bad("modified signature RS256", f -> f.token(RS256).badSignature().sign(), Reason.BAD_SIGNATURE),
        bad("modified signature PS256", f -> f.token(PS256).badSignature().sign(), Reason.BAD_SIGNATURE),
        bad("modified signature ES256", f -> f.token(ES256).badSignature().sign(), Reason.BAD_SIGNATURE),
        bad("modified signature EdDSA", f -> f.token(EdDSA).badSignature().sign(), Reason.BAD_SIGNATURE),
        bad("empty signature", f -> withSignature(f.idp.mint(), new byte[0]), Reason.BAD_SIGNATURE),
        bad("truncated RSA signature", f -> truncateSignature(f.token(RS256).sign()), Reason.BAD_SIGNATURE),
        bad("ES256 signature of 63 bytes", f -> truncateSignature(f.token(ES256).sign()), Reason.BAD_SIGNATURE),
        bad("ES256 signature r = s = 0 (CVE-2022-21449)", f -> withSignature(f.token(ES256).sign(), new byte[64]),
            Reason.BAD_SIGNATURE),
        bad("ES256 signature in DER instead of r||s",
            f -> withSignature(f.token(ES256).sign(), JoseSignatures.joseToDer(signature(f.token(ES256).sign()))),
            Reason.BAD_SIGNATURE),
        bad("signed by a foreign key under its own kid", f -> f.idp.token().foreignKey().sign(), Reason.UNKNOWN_KEY),
        bad("signed by a foreign key under a trusted kid",
            f -> f.idp.token().foreignKey().header("kid", "rs256-1").sign(), Reason.BAD_SIGNATURE),
        bad("unknown kid", f -> f.idp.token().unknownKid().sign(), Reason.UNKNOWN_KEY),
        bad("kid of a key for another algorithm", f -> f.token(RS256).header("kid", "es256-3").sign(),
            Reason.UNKNOWN_KEY),
        bad("kid ../../etc/passwd", f -> f.idp.token().header("kid", "../../etc/passwd").sign(), Reason.UNKNOWN_KEY),
        bad("kid /dev/null", f -> f.idp.token().header("kid", "/dev/null").sign(), Reason.UNKNOWN_KEY),
        bad("kid ..\\..\\windows\\win.ini", f -> f.idp.token().header("kid", "..\\..\\windows\\win.ini").sign(),
            Reason.UNKNOWN_KEY),
        bad("kid rs256-1/../rs256-1", f -> f.idp.token().header("kid", "rs256-1/../rs256-1").sign(),
            Reason.UNKNOWN_KEY),
        bad("kid with NUL", f -> f.idp.token().header("kid", "rs256-1\u0000").sign(), Reason.UNKNOWN_KEY),
        bad("kid SQL", f -> f.idp.token().header("kid", "' OR '1'='1").sign(), Reason.UNKNOWN_KEY),
        bad("kid URL", f -> f.idp.token().header("kid", f.idp.attackerJwksUri()).sign(), Reason.UNKNOWN_KEY),
        bad("kid as a number", f -> f.idp.token().header("kid", 1).sign(), Reason.MALFORMED),
        bad("embedded jwk", f -> f.idp.token().embeddedJwk().sign(), Reason.UNKNOWN_KEY),
        bad("embedded jwk under a trusted kid", f -> f.idp.token().embeddedJwk().header("kid", "rs256-1").sign(),
            Reason.BAD_SIGNATURE),
        bad("jku", f -> f.idp.token().jku().sign(), Reason.UNKNOWN_KEY),
        bad("jku under a trusted kid", f -> f.idp.token().jku().header("kid", "rs256-1").sign(),
            Reason.BAD_SIGNATURE),
        bad("x5u under a trusted kid",
            f -> f.idp.token().foreignKey().header("kid", "rs256-1").header("x5u", f.idp.attackerJwksUri()).sign(),
            Reason.BAD_SIGNATURE),
        bad("crit", f -> f.idp.token().header("crit", new JsonArray().add("exp")).sign(),
            Reason.UNSUPPORTED_CRITICAL_HEADER),
        bad("crit with b64 false (RFC 7797)",
            f -> f.idp.token().header("b64", false).header("crit", new JsonArray().add("b64")).sign(),
            Reason.UNSUPPORTED_CRITICAL_HEADER),
        bad("empty crit", f -> f.idp.token().header("crit", new JsonArray()).sign(),
            Reason.UNSUPPORTED_CRITICAL_HEADER),
        bad("expired", f -> f.idp.token().expired().sign(), Reason.EXPIRED),
        bad("not yet valid", f -> f.idp.token().notYetValid().sign(), Reason.NOT_YET_VALID),
        bad("issued in the future", f -> f.idp.token().issuedInFuture().sign(), Reason.ISSUED_IN_FUTURE),
        bad("missing exp", f -> f.idp.token().without("exp").sign(), Reason.MISSING_EXP),
        bad("exp as a string", f -> f.idp.token().claim("exp", "9999999999").sign(), Reason.MALFORMED),
        bad("wrong issuer", f -> f.idp.token().iss("https://evil.example").sign(), Reason.WRONG_ISSUER),
        bad("issuer with a trailing slash", f -> f.idp.token().iss(f.idp.issuer() + "/").sign(),
            Reason.WRONG_ISSUER),
        bad("issuer in another case", f -> f.idp.token().iss(f.idp.issuer().toUpperCase()).sign(),
            Reason.WRONG_ISSUER),
        bad("no issuer", f -> f.idp.token().without("iss").sign(), Reason.WRONG_ISSUER),
        bad("wrong audience", f -> f.idp.token().aud("someone-else").sign(), Reason.WRONG_AUDIENCE),
        bad("no audience", f -> f.idp.token().aud().sign(), Reason.WRONG_AUDIENCE),
        bad("oversized", f -> f.idp.token().claim("padding", "x".repeat(9000)).sign(), Reason.TOO_LARGE),
        bad("a megabyte of dots", f -> ".".repeat(1 << 20), Reason.TOO_LARGE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("forgeries")
  void isRejected(String name, Function<IssuerFixture, String> mint, Reason expected) {
    String token = mint.apply(fixture);
    // Only the audience cases check aud; the others run under the issuer's plain policy.
    IssuerPolicy policy = name.contains("audience")
        ? IssuerPolicy.of(fixture.idp.issuer(), Set.of("tollgate"), IssuerFixture.ASYMMETRIC)
        : fixture.policy();

    assertRejected(verifier.verify(token, policy, keys, Instant.now()), token, expected);
  }

  @Test
  void algConfusionFailsEvenWhenHs256IsPinnedNextToRs256() {
    // A JWKS never yields an HMAC key, and an RSA key never verifies HS256: the confused token has no key.
    Set<JwsAlgorithm> withHs256 = EnumSet.of(RS256, HS256);
    IssuerPolicy policy = IssuerPolicy.of(fixture.idp.issuer(), Set.of(), withHs256);
    KeySet jwks = KeySet.fromJwks(fixture.idp.jwks(), withHs256, Instant.now());
    String confused = fixture.idp.token().algConfusion().sign();

    assertRejected(verifier.verify(confused, policy, jwks, Instant.now()), confused, Reason.UNKNOWN_KEY);
    String confusedWithoutKid = fixture.idp.token().algConfusion().header("kid", null).sign();
    assertRejected(verifier.verify(confusedWithoutKid, policy, jwks, Instant.now()), confusedWithoutKid,
        Reason.UNKNOWN_KEY);
  }

  @Test
  void anHs256KeySetNeverVerifiesAnRsaTokenAndViceVersa() {
    Set<JwsAlgorithm> both = EnumSet.of(RS256, HS256);
    IssuerPolicy policy = IssuerPolicy.of(fixture.idp.issuer(), Set.of(), both);
    String rsa = fixture.token(RS256).header("kid", null).sign();

    assertRejected(verifier.verify(rsa, policy, KeySet.hmac(HmacTokens.SECRET, Instant.now()), Instant.now()), rsa,
        Reason.UNKNOWN_KEY);
    // And the JCA layer refuses a mismatched key type even if selection were wrong.
    VerificationKey rsaKey = keys.select("rs256-1", RS256);
    assertThat(JoseSignatures.verify(HS256, rsaKey.key(), new byte[1], 1, new byte[32])).isFalse();
  }

  @Test
  void anEmptyKeySetRejectsEverythingEvenUnsignedTokens() {
    for (String token : new String[] {fixture.idp.token().algNone().sign(), fixture.idp.mint(), "", "x"}) {
      assertRejected(verifier.verify(token, fixture.policy(), KeySet.empty(), Instant.now()), token, Reason.NO_KEYS);
    }
    assertRejected(verifier.verify(null, fixture.policy(), KeySet.empty(), Instant.now()), "", Reason.NO_KEYS);
  }

  @Test
  void aJwksWhoseKeysWereAllDroppedFailsClosedToo() {
    KeySet none = KeySet.fromJwks(fixture.idp.jwks(), EnumSet.of(HS256), Instant.now());
    String unsigned = fixture.idp.token().algNone().sign();

    assertThat(none.isEmpty()).isTrue();
    assertRejected(verifier.verify(unsigned, IssuerPolicy.of(fixture.idp.issuer(), Set.of(), EnumSet.of(HS256)),
        none, Instant.now()), unsigned, Reason.NO_KEYS);
  }

  @Test
  void anAlgorithmNotPinnedForTheIssuerIsRejectedThoughItsKeyIsPublished() {
    IssuerPolicy rsOnly = IssuerPolicy.of(fixture.idp.issuer(), Set.of(), EnumSet.of(RS256));
    KeySet rsKeys = KeySet.fromJwks(fixture.idp.jwks(), EnumSet.of(RS256), Instant.now());
    String es = fixture.token(ES256).sign();

    assertRejected(verifier.verify(es, rsOnly, rsKeys, Instant.now()), es, Reason.UNSUPPORTED_ALGORITHM);
    assertRejected(verifier.verify(es, rsOnly, keys, Instant.now()), es, Reason.UNSUPPORTED_ALGORITHM);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", ".", "..", "...", "a.b", "a.b.c.d", "a..c", "eyJhbGciOiJSUzI1NiJ9", "x.y.z"})
  void structurallyBrokenTokensAreMalformed(String token) {
    assertRejected(verifier.verify(token, fixture.policy(), keys, Instant.now()), token, Reason.MALFORMED);
  }

  @Test
  void twoAndFourSegmentsAreMalformed() {
    String good = fixture.idp.mint();
    String twoSegments = good.substring(0, good.lastIndexOf('.'));
    String fourSegments = good + "." + good.substring(good.lastIndexOf('.') + 1);
    // A JWE compact token has five segments.
    String fiveSegments = good + ".a.b";

    for (String token : new String[] {twoSegments, fourSegments, fiveSegments}) {
      assertRejected(verifier.verify(token, fixture.policy(), keys, Instant.now()), token, Reason.MALFORMED);
    }
  }

  @ParameterizedTest
  @EnumSource(Garbage.class)
  void garbageBase64IsMalformedEvenWhenTheJdkDecoderWouldTakeIt(Garbage garbage) {
    String token = garbage.apply(fixture.idp.mint());

    assertRejected(verifier.verify(token, fixture.policy(), keys, Instant.now()), token, Reason.MALFORMED);
  }

  enum Garbage {
    PADDED_SIGNATURE {
      String apply(String t) {
        return t + "==";
      }
    },
    PADDED_HEADER {
      String apply(String t) {
        return t.replaceFirst("\\.", "=.");
      }
    },
    PLUS_AND_SLASH {
      String apply(String t) {
        return t.replace('-', '+').replace('_', '/').replaceFirst("\\.", "+/.");
      }
    },
    SPACE_INSIDE {
      String apply(String t) {
        return t.substring(0, 10) + " " + t.substring(10);
      }
    },
    LEADING_WHITESPACE {
      String apply(String t) {
        return "\t" + t;
      }
    },
    TRAILING_NEWLINE {
      String apply(String t) {
        return t + "\n";
      }
    },
    NON_ASCII {
      String apply(String t) {
        return t.substring(0, 5) + "é" + t.substring(6);
      }
    },
    PERCENT_ENCODED {
      String apply(String t) {
        return t.substring(0, 5) + "%41" + t.substring(6);
      }
    },
    NOT_BASE64_AT_ALL {
      String apply(String t) {
        return "@@@@.$$$$.!!!!";
      }
    },
    SIGNATURE_LENGTH_MOD_4_IS_1 {
      String apply(String t) {
        return t.substring(0, t.lastIndexOf('.') + 1) + "AAAAA";
      }
    };

    abstract String apply(String token);
  }

  @Test
  void aSignedHeaderOrPayloadThatIsNotAJsonObjectIsMalformed() {
    IssuerPolicy policy = IssuerPolicy.of("https://internal.example", Set.of(), EnumSet.of(HS256));
    KeySet hmac = KeySet.hmac(HmacTokens.SECRET, Instant.now());
    String payload = "{\"iss\":\"https://internal.example\",\"exp\":9999999999}";
    byte[] invalidUtf8 = {'{', '"', 'a', 'l', 'g', '"', ':', '"', 'H', 'S', '2', '5', '6', '"', ',', '"', 'x', '"',
        ':', '"', (byte) 0xC3, '"', '}'};

    for (String header : new String[] {"[\"HS256\"]", "\"HS256\"", "null", "", "{\"alg\":\"HS256\"} {}",
        "{\"alg\":\"HS256\""}) {
      String token = HmacTokens.sign(header, payload);
      assertRejected(verifier.verify(token, policy, hmac, Instant.now()), token, Reason.MALFORMED);
    }
    String badUtf8 = HmacTokens.sign(invalidUtf8, payload.getBytes(StandardCharsets.UTF_8), HmacTokens.SECRET);
    assertRejected(verifier.verify(badUtf8, policy, hmac, Instant.now()), badUtf8, Reason.MALFORMED);
    for (String body : new String[] {"[1]", "\"claims\"", "", "{\"exp\":9999999999"}) {
      String token = HmacTokens.sign(HmacTokens.HS256_HEADER, body);
      assertRejected(verifier.verify(token, policy, hmac, Instant.now()), token, Reason.MALFORMED);
    }
  }

  @Test
  void theSizeCapIsCheckedBeforeAnythingElse() {
    String valid = fixture.idp.mint();
    IssuerPolicy tight = fixture.policy().withMaxTokenBytes(valid.length() - 1);

    assertRejected(verifier.verify(valid, tight, keys, Instant.now()), valid, Reason.TOO_LARGE);
    assertThat(verifier.verify(valid, tight.withMaxTokenBytes(valid.length()), keys, Instant.now()))
        .isInstanceOf(JwtResult.Valid.class);
    assertRejected(verifier.verify(valid, tight, KeySet.empty(), Instant.now()), valid, Reason.TOO_LARGE);
  }

  private static void assertRejected(JwtResult result, String token, Reason expected) {
    assertThat(result).isInstanceOf(Invalid.class);
    Invalid invalid = (Invalid) result;
    assertThat(invalid.reason()).as(invalid.detail()).isEqualTo(expected);
    assertThat(invalid.detail()).isNotBlank().doesNotContainPattern("[\\p{Cntrl}]");
    int lastDot = token.lastIndexOf('.');
    if (lastDot >= 0 && token.length() - lastDot > 16) {
      assertThat(invalid.detail()).doesNotContain(token.substring(lastDot + 1));
    }
    if (token.length() > 16) {
      assertThat(invalid.detail()).doesNotContain(token.substring(0, 16));
    }
  }

  private static Arguments bad(String name, Function<IssuerFixture, String> mint, Reason reason) {
    return Arguments.of(name, mint, reason);
  }

  private static String swapPayload(String token, String donor) {
    String[] t = token.split("\\.");
    String[] d = donor.split("\\.");
    return t[0] + "." + d[1] + "." + t[2];
  }

  private static String swapHeader(String token, String headerJson) {
    return HmacTokens.b64(headerJson) + token.substring(token.indexOf('.'));
  }

  private static String withSignature(String token, byte[] signature) {
    return token.substring(0, token.lastIndexOf('.') + 1) + HmacTokens.b64(signature);
  }

  private static byte[] signature(String token) {
    return java.util.Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1));
  }

  private static String truncateSignature(String token) {
    byte[] signature = signature(token);
    return withSignature(token, java.util.Arrays.copyOf(signature, signature.length - 1));
  }
}
