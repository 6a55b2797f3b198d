package io.tollgate.testkit.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Tokens are verified by vertx-auth-jwt, configured from the JWKS fetched over HTTP, as a gateway would. */
@ExtendWith(BlockedThreadGuard.class)
class TokenIssuerTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  // One issuer for the class: key generation (two RSA keys) is the slow part. Tests that rotate or retire
  // keys start their own.
  private static Vertx vertx;
  private static TokenIssuer issuer;
  private static HttpClientAgent http;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx(BlockedThreadGuard.vertxOptions());
    issuer = TokenIssuer.start(vertx, IssuerOptions.defaults().withAudience("tollgate"));
    http = vertx.createHttpClient();
  }

  @AfterAll
  static void stop() {
    issuer.close();
    Await.result(vertx.close(), WAIT);
  }

  @Test
  void discoveryPointsAtTheJwksWhichCarriesOneKeyPerAlgorithmAndAMaxAge() {
    Reply discovery = get(issuer.discoveryUri());
    assertThat(discovery.status).isEqualTo(200);
    assertThat(discovery.json().getString("issuer")).isEqualTo(issuer.issuer());
    assertThat(discovery.json().getString("jwks_uri")).isEqualTo(issuer.jwksUri());

    Reply jwks = get(discovery.json().getString("jwks_uri"));
    assertThat(jwks.status).isEqualTo(200);
    assertThat(jwks.headers.get("Content-Type")).isEqualTo("application/json");
    assertThat(jwks.headers.get("Cache-Control")).isEqualTo("public, max-age=300");
    JsonArray keys = jwks.json().getJsonArray("keys");
    assertThat(keys.stream().map(k -> ((JsonObject) k).getString("alg")))
        .containsExactly("RS256", "PS256", "ES256", "EdDSA");
    assertThat(keys.stream().map(k -> ((JsonObject) k).getString("kid")))
        .containsExactly("rs256-1", "ps256-2", "es256-3", "eddsa-4");
    assertThat(keys.getJsonObject(2).getMap()).containsKeys("x", "y").doesNotContainKey("d");
    assertThat(keys.getJsonObject(0).getMap()).containsKeys("n", "e").doesNotContainKeys("d", "p", "q");
  }

  @ParameterizedTest
  @EnumSource(JwsAlgorithm.class)
  void mintedTokensVerifyWithVertxAuthJwt(JwsAlgorithm alg) {
    String token = issuer.token().alg(alg).sub("alice").scope("orders:read", "orders:write")
        .roles("admin", "ops").sign();

    User user = verify(fetchedVerifier(), token);

    assertThat(header(token).getString("alg")).isEqualTo(alg.joseName());
    assertThat(header(token).getString("kid")).isEqualTo(issuer.key(alg).kid());
    assertThat(user.principal().getString("sub")).isEqualTo("alice");
    assertThat(user.principal().getString("iss")).isEqualTo(issuer.issuer());
    assertThat(user.principal().getString("aud")).isEqualTo("tollgate");
    assertThat(user.principal().getString("scope")).isEqualTo("orders:read orders:write");
    assertThat(user.principal().getJsonArray("roles")).containsExactly("admin", "ops");
    long iat = claims(token).getLong("iat");
    assertThat(claims(token).getLong("exp") - iat).isEqualTo(300);
    assertThat(Math.abs(Instant.now().getEpochSecond() - iat)).isLessThanOrEqualTo(2);
  }

  @Test
  void base64urlHasNoPaddingAndMintAddsDefaults() {
    String token = issuer.mint(new JsonObject().put("sub", "bob").put("tenant", "t1"));

    assertThat(token).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    JsonObject claims = verify(fetchedVerifier(), token).principal();
    assertThat(claims.getString("sub")).isEqualTo("bob");
    assertThat(claims.getString("tenant")).isEqualTo("t1");
    assertThat(claims.getString("iss")).isEqualTo(issuer.issuer());
    assertThat(header(token).getString("alg")).isEqualTo("RS256");
  }

  @Test
  void multipleAudiencesAreAnArray() {
    String token = issuer.token().aud("a", "b").sign();

    assertThat(verify(fetchedVerifier(), token).principal().getJsonArray("aud")).containsExactly("a", "b");
  }

  @Test
  void timeClaimsOutsideTheirWindowAreRejected() {
    JWTAuth verifier = fetchedVerifier();

    assertRejected(verifier, issuer.token().expired().sign());
    assertRejected(verifier, issuer.token().expiresIn(Duration.ofSeconds(-120)).sign());
    assertRejected(verifier, issuer.token().notYetValid().sign());
    assertRejected(verifier, issuer.token().issuedInFuture().sign());
    assertThat(claims(issuer.token().without("exp").sign()).getMap()).doesNotContainKey("exp");
  }

  @ParameterizedTest
  @EnumSource(JwsAlgorithm.class)
  void forgedTokensAreRejected(JwsAlgorithm alg) {
    JWTAuth verifier = fetchedVerifier();
    int attackerFetchesBefore = issuer.attackerJwksFetches();

    assertRejected(verifier, issuer.token().alg(alg).badSignature().sign());
    assertRejected(verifier, issuer.token().alg(alg).foreignKey().sign());
    assertRejected(verifier, issuer.token().alg(alg).embeddedJwk().sign());
    assertRejected(verifier, issuer.token().alg(alg).jku().sign());
    assertRejected(verifier, issuer.token().alg(alg).algConfusion().sign());
    assertThat(issuer.attackerJwksFetches()).isEqualTo(attackerFetchesBefore);
  }

  @Test
  void algNoneIsUnsignedAndRejected() {
    String token = issuer.token().algNone().sign();

    assertThat(token).endsWith(".");
    assertThat(header(token)).isEqualTo(new JsonObject().put("alg", "none").put("typ", "JWT"));
    assertRejected(fetchedVerifier(), token);
  }

  @Test
  void algConfusionIsAnHmacKeyedWithThePublicPem() {
    String token = issuer.token().algConfusion().sign();

    assertThat(header(token).getString("alg")).isEqualTo("HS256");
    assertThat(header(token).getString("kid")).isEqualTo(issuer.signingKey().kid());
    // A verifier that (wrongly) treats the published PEM as an HMAC secret accepts it: the attack is real.
    String pem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(issuer.signingKey().publicKey().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
    JWTAuth naive = JWTAuth.create(vertx, new JWTAuthOptions().addJwk(new JsonObject()
        .put("kty", "oct").put("alg", "HS256")
        .put("k", Base64.getUrlEncoder().withoutPadding().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)))));
    assertThat(verify(naive, token).principal().getString("sub")).isEqualTo("test-user");
  }

  @Test
  void embeddedJwkAndJkuNameTheStrangerKey() {
    JsonObject embedded = header(issuer.token().alg(JwsAlgorithm.ES256).embeddedJwk().sign());
    JsonObject jku = header(issuer.token().alg(JwsAlgorithm.ES256).jku().sign());

    assertThat(embedded.getJsonObject("jwk").getString("kid")).isEqualTo("attacker-es256");
    assertThat(embedded.getJsonObject("jwk").getMap()).doesNotContainKey("d");
    assertThat(jku.getString("jku")).isEqualTo(issuer.attackerJwksUri());
    // The jku target really serves the stranger key, so following it would "verify" the token.
    Reply attacker = get(issuer.attackerJwksUri());
    assertThat(attacker.json().getJsonArray("keys").stream().map(k -> ((JsonObject) k).getString("kid")))
        .contains("attacker-es256");
    assertThat(issuer.attackerJwksFetches()).isPositive();
  }

  @Test
  void unknownKidIsSignedByAPublishedKeyUnderAnotherName() {
    String token = issuer.token().unknownKid().sign();

    assertThat(header(token).getString("kid")).isEqualTo("unknown-" + issuer.signingKey().kid());
    // vertx-auth-jwt selects keys by kid, so it rejects the token...
    assertRejected(fetchedVerifier(), token);
    // ...although the signature is genuine: a verifier holding the key without its kid accepts it.
    JsonObject anonymous = issuer.signingKey().publicJwk();
    anonymous.remove("kid");
    JWTAuth kidBlind = JWTAuth.create(vertx, new JWTAuthOptions().addJwk(anonymous));
    assertThat(verify(kidBlind, token).principal().getString("sub")).isEqualTo("test-user");
  }

  @Test
  void rotationPublishesTheNewKeyAndRetirementWithdrawsTheOld() {
    try (TokenIssuer own = TokenIssuer.start(vertx, IssuerOptions.defaults().withSigningAlgorithm(JwsAlgorithm.ES256))) {
      String before = own.mint();
      String oldKid = header(before).getString("kid");

      String newKid = own.rotate();

      String after = own.mint();
      assertThat(header(after).getString("kid")).isEqualTo(newKid).isNotEqualTo(oldKid);
      assertThat(header(after).getString("alg")).isEqualTo("ES256");
      JWTAuth bothPublished = verifierFor(own, getJson(own.jwksUri()));
      verify(bothPublished, before);
      verify(bothPublished, after);

      own.retire(oldKid);

      JsonObject jwks = getJson(own.jwksUri());
      assertThat(jwks.getJsonArray("keys").stream().map(k -> ((JsonObject) k).getString("kid")))
          .contains(newKid).doesNotContain(oldKid);
      JWTAuth afterRetirement = verifierFor(own, jwks);
      verify(afterRetirement, after);
      assertRejected(afterRetirement, before);
      assertRejected(afterRetirement, own.token().kid(oldKid).sign());
      assertThat(own.jwksFetches()).isEqualTo(2);
    }
  }

  @Test
  void maxAgeCanBeChangedAtRuntime() {
    try (TokenIssuer own = TokenIssuer.start(vertx, IssuerOptions.defaults().withJwksMaxAge(Duration.ofSeconds(60)))) {
      assertThat(get(own.jwksUri()).headers.get("Cache-Control")).isEqualTo("public, max-age=60");

      own.jwksMaxAge(Duration.ZERO);

      assertThat(get(own.jwksUri()).headers.get("Cache-Control")).isEqualTo("public, max-age=0");
      own.awaitJwksFetches(2, WAIT);
    }
  }

  @Test
  void downAnswers503AndCountsTheAttempts() {
    try (TokenIssuer own = TokenIssuer.start(vertx)) {
      own.down();

      assertThat(get(own.jwksUri()).status).isEqualTo(503);
      assertThat(get(own.discoveryUri()).status).isEqualTo(503);
      assertThat(own.jwksFetches()).isEqualTo(1);

      own.up();

      assertThat(get(own.jwksUri()).status).isEqualTo(200);
      assertThat(own.jwksFetches()).isEqualTo(2);
    }
  }

  @Test
  void connectionRefusedOutageStopsListeningUntilUp() {
    try (TokenIssuer own = TokenIssuer.start(vertx)) {
      int port = own.port();
      own.down(TokenIssuer.Outage.CONNECTION_REFUSED);

      assertThatThrownBy(() -> get(own.jwksUri())).hasRootCauseInstanceOf(ConnectException.class);

      own.up();

      assertThat(own.port()).isEqualTo(port);
      assertThat(get(own.jwksUri()).status).isEqualTo(200);
      assertThat(own.jwksFetches()).isEqualTo(1);
    }
  }

  @Test
  void unknownPathsAre404AndOtherMethods405() {
    assertThat(get(issuer.issuer() + "/nope").status).isEqualTo(404);
    assertThat(send(HttpMethod.POST, issuer.jwksUri()).status).isEqualTo(405);
  }

  // --- helpers -------------------------------------------------------------------------------------------

  private record Reply(int status, MultiMap headers, String body) {
    JsonObject json() {
      return new JsonObject(body);
    }
  }

  private static Reply get(String url) {
    return send(HttpMethod.GET, url);
  }

  private static Reply send(HttpMethod method, String url) {
    RequestOptions options = new RequestOptions().setMethod(method).setAbsoluteURI(url);
    Future<Reply> reply = http.request(options).compose(request -> request.send().compose(response ->
        response.body().map(body -> new Reply(response.statusCode(), response.headers(), body.toString()))));
    return Await.result(reply, WAIT);
  }

  private static JsonObject getJson(String url) {
    Reply reply = get(url);
    assertThat(reply.status).isEqualTo(200);
    return reply.json();
  }

  /** What a gateway does: discovery, then the JWKS it names, then a verifier holding those keys. */
  private static JWTAuth fetchedVerifier() {
    JsonObject discovery = getJson(issuer.discoveryUri());
    return verifierFor(issuer, getJson(discovery.getString("jwks_uri")));
  }

  private static JWTAuth verifierFor(TokenIssuer idp, JsonObject jwks) {
    JWTAuthOptions options = new JWTAuthOptions().setJWTOptions(new JWTOptions().setIssuer(idp.issuer()));
    jwks.getJsonArray("keys").forEach(key -> options.addJwk((JsonObject) key));
    return JWTAuth.create(vertx, options);
  }

  private static User verify(JWTAuth verifier, String token) {
    return Await.result(verifier.authenticate(new TokenCredentials(token)), WAIT);
  }

  private static void assertRejected(JWTAuth verifier, String token) {
    assertThatThrownBy(() -> verify(verifier, token)).as("token %s", token).isNotInstanceOf(AssertionError.class);
  }

  private static JsonObject header(String token) {
    return part(token, 0);
  }

  private static JsonObject claims(String token) {
    return part(token, 1);
  }

  private static JsonObject part(String token, int index) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.", -1)[index]),
        StandardCharsets.UTF_8));
  }
}
