package io.tollgate.auth.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.auth.jwt.JwsAlgorithm;
import io.tollgate.events.Addresses;
import io.tollgate.health.GatewayState;
import io.tollgate.testkit.auth.SigningKey;
import io.tollgate.testkit.auth.TokenIssuer;
import io.tollgate.testkit.peers.Behaviour;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The keys verticle against a real OIDC issuer (discovery + JWKS over HTTP): what it fetches, when, and what it
 * publishes. JWK parsing is stood in by {@link RecordingKeySets}, so kids and counts come from the served JWKS.
 */
@ExtendWith(BlockedThreadGuard.class)
class AuthKeysVerticleIT {

  private static final Set<JwsAlgorithm> ASYMMETRIC =
      Set.of(JwsAlgorithm.RS256, JwsAlgorithm.PS256, JwsAlgorithm.ES256, JwsAlgorithm.EdDSA);
  private static final Duration WAIT = Duration.ofSeconds(10);
  /** Timers may fire a little early relative to our own clock readings; never by more than this. */
  private static final long EARLY_MS = 30;
  /** Two shared cores: generous upper slack so load does not fail timing assertions. */
  private static final long LATE_MS = 700;

  private final Vertx vertx = Vertx.vertx(BlockedThreadGuard.vertxOptions());
  private final RecordingKeySets keySets = new RecordingKeySets();
  private final List<AuthKeys> published = new CopyOnWriteArrayList<>();
  private final GatewayState state = new GatewayState("test");
  private TokenIssuer idp;
  private AuthKeysVerticle verticle;

  @BeforeEach
  void start() {
    idp = TokenIssuer.start(vertx);
    vertx.eventBus().<AuthKeys>consumer(Addresses.AUTH_KEYS_PUBLISHED, msg -> published.add(msg.body()));
  }

  @AfterEach
  void stop() {
    idp.close();
    Await.result(vertx.close(), WAIT);
  }

  @Test
  void discoveryLeadsToTheJwksWhoseKeysArePublishedBeforeStartCompletes() {
    deploy(IssuerSource.discovery("corp", idp.discoveryUri(), ASYMMETRIC));

    IssuerKeys corp = verticle.current().issuer("corp").orElseThrow();
    assertThat(corp.kids()).containsExactlyInAnyOrderElementsOf(publishedKids());
    assertThat(corp.issuer()).isEqualTo(idp.issuer());
    assertThat(corp.lastError()).isNull();
    assertThat(corp.version()).isEqualTo(1);
    assertThat(corp.fetchedAt()).isNotNull().isEqualTo(corp.lastAttempt());
    assertThat(keySets.jwksSeen).containsExactly(idp.jwks());
    assertThat(idp.discoveryFetches()).isEqualTo(1);
    assertThat(idp.jwksFetches()).isEqualTo(1);
    assertThat(state.failingChecks()).doesNotContainKey(AuthKeysVerticle.READINESS_CHECK);

    AuthKeys reply = Await.result(vertx.eventBus().<AuthKeys>request(Addresses.AUTH_GET_KEYS, null), WAIT).body();
    assertThat(reply).isSameAs(verticle.current());
    awaitPublished(keys -> keys == reply);

    JsonObject status = verticle.status().getJsonObject("issuers").getJsonObject("corp");
    assertThat(status.getInteger("keyCount")).isEqualTo(4);
    assertThat(status.getJsonArray("kids").getList()).containsExactlyInAnyOrderElementsOf(publishedKids());
    assertThat(status.getLong("ageSeconds")).isBetween(0L, 2L);
    assertThat(status.getString("lastError")).isNull();
  }

  @Test
  void thePinnedAlgorithmsAreHandedToTheParser() {
    deploy(IssuerSource.jwks("corp", idp.jwksUri(), idp.issuer(), Set.of(JwsAlgorithm.ES256)));

    assertThat(verticle.current().issuer("corp").orElseThrow().kids())
        .containsExactly(idp.key(io.tollgate.testkit.auth.JwsAlgorithm.ES256).kid());
    assertThat(idp.discoveryFetches()).isZero();
  }

  @Test
  void cacheControlMaxAgeSetsTheRefreshInterval() {
    idp.jwksMaxAge(Duration.ofSeconds(1));
    deploy(IssuerSource.jwks("corp", idp.jwksUri(), idp.issuer(), ASYMMETRIC)
        .withRefresh(Duration.ofMillis(100), Duration.ofSeconds(10)));

    assertIntervals(fetchTimes("corp", 3), 1_000);
  }

  @Test
  void maxAgeBelowMinRefreshIsRaisedToMinRefresh() {
    idp.jwksMaxAge(Duration.ZERO);
    deploy(IssuerSource.jwks("corp", idp.jwksUri(), idp.issuer(), ASYMMETRIC)
        .withRefresh(Duration.ofMillis(800), Duration.ofSeconds(10)));

    assertIntervals(fetchTimes("corp", 3), 800);
  }

  @Test
  void maxAgeAboveMaxRefreshIsLoweredToMaxRefresh() {
    idp.jwksMaxAge(Duration.ofMinutes(5));
    deploy(IssuerSource.jwks("corp", idp.jwksUri(), idp.issuer(), ASYMMETRIC)
        .withRefresh(Duration.ofMillis(100), Duration.ofMillis(700)));

    assertIntervals(fetchTimes("corp", 3), 700);
  }

  @Test
  void noMaxAgeMeansMaxRefresh() {
    try (UpstreamPeer jwks = UpstreamPeer.start(vertx)) {
      jwks.respondTo("/jwks", Behaviour.ok().header("Content-Type", "application/json").body(idp.jwks().encode()));
      deploy(IssuerSource.jwks("corp", jwks.baseUrl() + "/jwks", idp.issuer(), ASYMMETRIC)
          .withRefresh(Duration.ofMillis(100), Duration.ofMillis(700)));

      assertIntervals(fetchTimes("corp", 3), 700);
    }
  }

  @Test
  void rotationIsPickedUpOnRefreshAndRetiredKeysDisappear() {
    idp.jwksMaxAge(Duration.ofSeconds(1));
    deploy(IssuerSource.discovery("corp", idp.discoveryUri(), ASYMMETRIC)
        .withRefresh(Duration.ofMillis(100), Duration.ofSeconds(10)));
    List<AuthKeys> seenByIngress = follow();
    String oldKid = idp.signingKey().kid();

    String newKid = idp.rotate();
    AuthKeys rotated = awaitPublished(keys -> kids(keys, "corp").contains(newKid));
    assertThat(kids(rotated, "corp")).contains(oldKid).hasSize(5);

    idp.retire(oldKid);
    AuthKeys retired = awaitPublished(keys -> !kids(keys, "corp").contains(oldKid));
    assertThat(kids(retired, "corp")).contains(newKid).hasSize(4);
    // Discovery ran once; refreshes go straight to the JWKS it named.
    assertThat(idp.discoveryFetches()).isEqualTo(1);
    // What an ingress instance following the feed sees: the current keys first, then every newer version.
    awaitCondition(() -> seenByIngress.stream().anyMatch(keys -> keys.version() == retired.version()));
    assertThat(kids(seenByIngress.get(0), "corp")).contains(oldKid);
  }

  @Test
  void unknownKidRefreshesAreRateLimitedPerIssuer() {
    Duration cooldown = Duration.ofMillis(1_500);
    deploy(
        IssuerSource.jwks("a", idp.jwksUri(), idp.issuer(), ASYMMETRIC).withUnknownKidCooldown(cooldown),
        IssuerSource.jwks("b", idp.jwksUri(), idp.issuer(), ASYMMETRIC).withUnknownKidCooldown(cooldown));
    assertThat(idp.jwksFetches()).isEqualTo(2);
    String newKid = idp.rotate();

    long firstRequest = System.nanoTime();
    AuthKeysFeed.requestRefresh(vertx, "a");
    AuthKeys refreshed = awaitPublished(keys -> kids(keys, "a").contains(newKid));
    assertThat(kids(refreshed, "b")).doesNotContain(newKid);
    assertThat(idp.jwksFetches()).isEqualTo(3);

    AuthKeysFeed.requestRefresh(vertx, "a");
    AuthKeysFeed.requestRefresh(vertx, "a");
    AuthKeysFeed.requestRefresh(vertx, "no-such-issuer");
    vertx.eventBus().send(Addresses.AUTH_REFRESH_REQUESTED, new JsonObject().put("issuer", "a"));
    AuthKeysFeed.requestRefresh(vertx, "b");
    awaitPublished(keys -> kids(keys, "b").contains(newKid));
    sleep(Duration.ofMillis(300));
    assertThat(idp.jwksFetches()).as("one fetch for a, one for b, none within a's cooldown").isEqualTo(4);
    assertThat(System.nanoTime() - firstRequest).isLessThan(cooldown.toNanos());

    sleep(Duration.ofNanos(cooldown.toNanos() - (System.nanoTime() - firstRequest)).plusMillis(150));
    AuthKeysFeed.requestRefresh(vertx, "a");
    idp.awaitJwksFetches(5, WAIT);
    sleep(Duration.ofMillis(300));
    assertThat(idp.jwksFetches()).isEqualTo(5);
  }

  @Test
  void whileTheIssuerIsDownTheLastKeysStayStalenessGrowsAndRetriesBackOff() {
    idp.jwksMaxAge(Duration.ofMinutes(5));
    deploy(IssuerSource.jwks("corp", idp.jwksUri(), idp.issuer(), ASYMMETRIC)
        .withRefresh(Duration.ofMillis(250), Duration.ofSeconds(1)));
    IssuerKeys good = verticle.current().issuer("corp").orElseThrow();

    idp.down();
    AuthKeysFeed.requestRefresh(vertx, "corp");
    List<Instant> failures = attemptTimes("corp", 5, keys -> keys.lastError() != null);

    IssuerKeys down = verticle.current().issuer("corp").orElseThrow();
    assertThat(down.keys()).isSameAs(good.keys());
    assertThat(down.kids()).isEqualTo(good.kids());
    assertThat(down.fetchedAt()).isEqualTo(good.fetchedAt());
    assertThat(down.version()).isEqualTo(good.version());
    assertThat(down.lastError()).isEqualTo(idp.jwksUri() + ": HTTP 503");
    // Backoff: 250 ms, doubling, capped at maxRefresh (1 s).
    assertThat(gaps(failures)).satisfies(gaps -> {
      assertThat(gaps.get(0)).isBetween(250 - EARLY_MS, 250 + LATE_MS);
      assertThat(gaps.get(1)).isBetween(500 - EARLY_MS, 500 + LATE_MS);
      assertThat(gaps.get(2)).isBetween(1_000 - EARLY_MS, 1_000 + LATE_MS);
      assertThat(gaps.get(3)).isBetween(1_000 - EARLY_MS, 1_000 + LATE_MS);
    });
    JsonObject status = verticle.status().getJsonObject("issuers").getJsonObject("corp");
    assertThat(status.getLong("ageSeconds")).isGreaterThanOrEqualTo(2);
    assertThat(status.getInteger("keyCount")).isEqualTo(4);
    assertThat(status.getString("lastError")).contains("HTTP 503");

    idp.up();
    AuthKeys recovered = awaitPublished(keys -> keys.issuer("corp").orElseThrow().version() == good.version() + 1);
    IssuerKeys back = recovered.issuer("corp").orElseThrow();
    assertThat(back.lastError()).isNull();
    assertThat(back.fetchedAt()).isAfter(failures.get(failures.size() - 1));
    assertThat(verticle.status().getJsonObject("issuers").getJsonObject("corp").getLong("ageSeconds"))
        .isBetween(0L, 1L);
  }

  @Test
  void discoveryNamingAnotherIssuerYieldsAnErrorAndNoKeys() {
    deploy(IssuerSource.discovery("corp", idp.discoveryUri(), ASYMMETRIC).withIssuer("https://login.example.com"));

    IssuerKeys corp = verticle.current().issuer("corp").orElseThrow();
    assertThat(corp.keys()).isSameAs(keySets.empty);
    assertThat(corp.kids()).isEmpty();
    assertThat(corp.fetchedAt()).isNull();
    assertThat(corp.issuer()).isEqualTo("https://login.example.com");
    assertThat(corp.lastError()).isEqualTo("discovery document at " + idp.discoveryUri() + " names issuer \""
        + idp.issuer() + "\", expected \"https://login.example.com\"");
    assertThat(idp.jwksFetches()).isZero();
    assertThat(keySets.jwksSeen).isEmpty();
  }

  @Test
  void aFailedFirstFetchStillCompletesStartPublishesEmptyKeysAndRecovers() {
    idp.down(TokenIssuer.Outage.CONNECTION_REFUSED);
    long began = System.nanoTime();
    deploy(IssuerSource.discovery("corp", idp.discoveryUri(), ASYMMETRIC)
        .withRefresh(Duration.ofMillis(250), Duration.ofSeconds(1)));
    assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofMillis(2_500));

    IssuerKeys corp = verticle.current().issuer("corp").orElseThrow();
    assertThat(corp.keys()).isSameAs(keySets.empty);
    assertThat(corp.hasKeys()).isFalse();
    assertThat(corp.lastError()).startsWith(idp.discoveryUri() + ": ").containsIgnoringCase("refused");
    awaitCondition(() -> !published.isEmpty());
    assertThat(published.get(0).issuer("corp").orElseThrow().keys()).isSameAs(keySets.empty);
    assertThat(verticle.status().getJsonObject("issuers").getJsonObject("corp").getValue("ageSeconds")).isNull();
    // A down identity provider must not take the gateway out of rotation: the check passes after the attempt.
    assertThat(state.failingChecks()).doesNotContainKey(AuthKeysVerticle.READINESS_CHECK);

    idp.up();
    AuthKeys recovered = awaitPublished(keys -> keys.issuer("corp").orElseThrow().hasKeys());
    assertThat(kids(recovered, "corp")).containsExactlyInAnyOrderElementsOf(publishedKids());
    assertThat(recovered.issuer("corp").orElseThrow().lastError()).isNull();
  }

  @Test
  void aSilentJwksServerIsGivenUpAfterTheResponseTimeout() {
    try (UpstreamPeer silent = UpstreamPeer.start(vertx)) {
      silent.respondTo("/jwks", Behaviour.ok().delayHeaders(Duration.ofSeconds(30)));
      long began = System.nanoTime();
      deploy(IssuerSource.jwks("corp", silent.baseUrl() + "/jwks", idp.issuer(), ASYMMETRIC));

      assertThat(Duration.ofNanos(System.nanoTime() - began))
          .isBetween(Duration.ofMillis(JsonFetcher.RESPONSE_TIMEOUT_MS - EARLY_MS), Duration.ofSeconds(8));
      assertThat(verticle.current().issuer("corp").orElseThrow().lastError())
          .isEqualTo(silent.baseUrl() + "/jwks: no complete response within 5000 ms");
    }
  }

  @Test
  void oversizedMalformedOrEmptyDocumentsAreRefusedAndTheLastKeysStay() {
    try (UpstreamPeer jwks = UpstreamPeer.start(vertx)) {
      String url = jwks.baseUrl() + "/jwks";
      jwks.respondTo("/jwks", Behaviour.ok().body(idp.jwks().encode()));
      deploy(IssuerSource.jwks("corp", url, idp.issuer(), ASYMMETRIC)
          .withRefresh(Duration.ofMillis(100), Duration.ofMillis(200)));
      IssuerKeys good = verticle.current().issuer("corp").orElseThrow();

      assertRefusedWith(jwks, Behaviour.ok().streamBytes(JsonFetcher.MAX_BODY_BYTES + 1),
          url + ": body of 1048577 bytes exceeds 1048576", good);
      assertRefusedWith(jwks, Behaviour.ok().streamBytes(4 * JsonFetcher.MAX_BODY_BYTES).chunked(),
          url + ": body exceeds 1048576 bytes", good);
      assertRefusedWith(jwks, Behaviour.ok().body("<html>login</html>"), url + ": not a JSON object", good);
      assertRefusedWith(jwks, Behaviour.ok().body("{\"keys\":[]}"), url + ": no usable keys for ", good);
      assertRefusedWith(jwks, Behaviour.ok().body("{\"issuer\":\"x\"}"), url + ": not a usable JWK Set: ", good);
      assertRefusedWith(jwks, Behaviour.status(302).header("Location", idp.jwksUri()), url + ": HTTP 302", good);
    }
  }

  @Test
  void aSecretIssuerIsLoadedOnceAndNeverFetched() {
    byte[] secret = "an-internal-hs256-secret-of-32-bytes!".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    deploy(IssuerSource.hmac("internal", "tollgate-internal", secret),
        IssuerSource.jwks("corp", idp.jwksUri(), idp.issuer(), ASYMMETRIC));
    AuthKeysFeed.requestRefresh(vertx, "internal");

    IssuerKeys internal = verticle.current().issuer("internal").orElseThrow();
    assertThat(internal.kids()).containsExactly("hs256-secret");
    assertThat(internal.issuer()).isEqualTo("tollgate-internal");
    assertThat(internal.hasKeys()).isTrue();
    assertThat(internal.version()).isEqualTo(1);
    assertThat(keySets.jwksSeen).hasSize(1);
    assertThat(verticle.status().encode()).doesNotContain("an-internal-hs256-secret");
  }

  @Test
  void withoutIssuersStartCompletesAndTheKeysAreEmpty() {
    deploy();

    assertThat(verticle.current().issuers()).isEmpty();
    assertThat(state.failingChecks()).doesNotContainKey(AuthKeysVerticle.READINESS_CHECK);
    AuthKeysFeed.requestRefresh(vertx, "corp");
    assertThat(Await.result(vertx.eventBus().<AuthKeys>request(Addresses.AUTH_GET_KEYS, null), WAIT).body().issuers())
        .isEmpty();
  }

  // --- helpers ---

  private void deploy(IssuerSource... sources) {
    verticle = new AuthKeysVerticle(state, List.of(sources), keySets);
    Await.result(vertx.deployVerticle(verticle), Duration.ofSeconds(20));
  }

  private void assertRefusedWith(UpstreamPeer jwks, Behaviour behaviour, String error, IssuerKeys good) {
    jwks.respondTo("/jwks", behaviour);
    AuthKeys refused = awaitPublished(keys -> {
      String lastError = keys.issuer("corp").orElseThrow().lastError();
      return lastError != null && lastError.startsWith(error);
    });
    IssuerKeys corp = refused.issuer("corp").orElseThrow();
    assertThat(corp.keys()).isSameAs(good.keys());
    assertThat(corp.version()).isEqualTo(good.version());
  }

  /** A verticle following the keys the way ingress does; returns what it saw, in order. */
  private List<AuthKeys> follow() {
    List<AuthKeys> seen = new CopyOnWriteArrayList<>();
    Await.result(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        return AuthKeysFeed.follow(vertx, keys -> {
          if (seen.isEmpty() || keys.version() > seen.get(seen.size() - 1).version()) {
            seen.add(keys);
          }
        });
      }
    }), WAIT);
    return seen;
  }

  private Set<String> publishedKids() {
    return idp.publishedKeys().stream().map(SigningKey::kid).collect(Collectors.toSet());
  }

  private static Set<String> kids(AuthKeys keys, String issuer) {
    return keys.issuer(issuer).orElseThrow().kids();
  }

  /** When the first {@code count} versions of the issuer's keys were fetched (from the published snapshots). */
  private List<Instant> fetchTimes(String issuer, int count) {
    awaitCondition(() -> published.stream().anyMatch(k -> k.issuer(issuer).orElseThrow().version() >= count));
    List<Instant> times = new ArrayList<>();
    long version = 0;
    for (AuthKeys keys : published) {
      IssuerKeys one = keys.issuer(issuer).orElseThrow();
      if (one.version() > version && times.size() < count) {
        version = one.version();
        times.add(one.fetchedAt());
      }
    }
    return times;
  }

  /** When the first {@code count} published attempts matching {@code which} ended. */
  private List<Instant> attemptTimes(String issuer, int count, Predicate<IssuerKeys> which) {
    awaitCondition(() -> published.stream().map(k -> k.issuer(issuer).orElseThrow()).filter(which)
        .map(IssuerKeys::lastAttempt).distinct().count() >= count);
    return published.stream().map(k -> k.issuer(issuer).orElseThrow()).filter(which)
        .map(IssuerKeys::lastAttempt).distinct().limit(count).toList();
  }

  private static List<Long> gaps(List<Instant> times) {
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < times.size(); i++) {
      gaps.add(Duration.between(times.get(i - 1), times.get(i)).toMillis());
    }
    return gaps;
  }

  private static void assertIntervals(List<Instant> times, long expectedMs) {
    assertThat(gaps(times)).allSatisfy(gap -> assertThat(gap).isBetween(expectedMs - EARLY_MS, expectedMs + LATE_MS));
  }

  private AuthKeys awaitPublished(Predicate<AuthKeys> condition) {
    awaitCondition(() -> published.stream().anyMatch(condition));
    return published.stream().filter(condition).findFirst().orElseThrow();
  }

  private static void awaitCondition(java.util.function.BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      sleep(Duration.ofMillis(10));
    }
  }

  private static void sleep(Duration duration) {
    if (duration.isNegative() || duration.isZero()) {
      return;
    }
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
