package io.tollgate.testkit.auth;

import io.tollgate.testkit.net.ListeningPorts;
import io.tollgate.testkit.vertx.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real OpenID Connect issuer on {@code 127.0.0.1} (ephemeral port) for JWT tests: it publishes its keys and
 * mints tokens — good ones, and the bad ones a gateway must refuse.
 *
 * <pre>{@code
 * try (TokenIssuer idp = TokenIssuer.start(vertx)) {
 *   // configure the gateway with idp.issuer() or idp.jwksUri()
 *   String ok = idp.token().sub("alice").scope("orders:read").aud("tollgate").sign();
 *   String expired = idp.token().expired().sign();
 *   String confused = idp.token().algConfusion().sign();
 *   String newKid = idp.rotate();          // old key stays in the JWKS until idp.retire(oldKid)
 *   idp.down();                            // JWKS and discovery answer 503 until idp.up()
 * }
 * }</pre>
 *
 * <p>Endpoints ({@code GET}; other methods get 405, other paths 404):
 * <ul>
 *   <li>{@value #DISCOVERY_PATH}: {@code issuer}, {@code jwks_uri}, {@code id_token_signing_alg_values_supported}
 *       and the other members OIDC Discovery §3 requires (the authorization and token endpoints are not served).
 *   <li>{@value #JWKS_PATH}: {@code {"keys": [...]}}, the published public keys oldest first, with
 *       {@code Cache-Control: public, max-age=<jwksMaxAge seconds>}.
 *   <li>{@value #ATTACKER_JWKS_PATH}: the never-published keys that {@link TokenBuilder#jku()} tokens are signed
 *       with — a gateway must never fetch it.
 * </ul>
 *
 * <p>Keys: one per algorithm at start ({@code rs256-1}, {@code ps256-2}, {@code es256-3}, {@code eddsa-4}), each
 * with {@code use: sig} and its {@code alg}. Tokens are signed with the newest published key of the signing
 * algorithm ({@link IssuerOptions#signingAlgorithm()}, RS256 by default) unless the builder picks another.
 *
 * <p>Threads: {@link #start}, {@link #down}, {@link #up}, {@link #rotate}, {@link #awaitJwksFetches} and
 * {@link #close} block (key generation, listening) and belong on test threads, as does minting forged tokens
 * (see {@link TokenBuilder}). Everything else is thread-safe.
 */
public final class TokenIssuer implements AutoCloseable {

  /** OIDC Discovery 1.0 §4. */
  public static final String DISCOVERY_PATH = "/.well-known/openid-configuration";
  public static final String JWKS_PATH = "/jwks.json";
  public static final String ATTACKER_JWKS_PATH = "/attacker/jwks.json";

  /** What {@link #down(Outage)} does to clients. */
  public enum Outage {
    /** Keeps listening; every endpoint answers 503 with {@code Cache-Control: no-store}. */
    SERVICE_UNAVAILABLE,
    /** Stops listening, closing open connections, so connects are refused until {@link #up()}. */
    CONNECTION_REFUSED
  }

  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration LIFECYCLE_TIMEOUT = Duration.ofSeconds(10);

  private final Vertx vertx;
  private final IssuerOptions options;
  private final KeyRing keys;
  private final AtomicInteger jwksFetches = new AtomicInteger();
  private final AtomicInteger discoveryFetches = new AtomicInteger();
  private final AtomicInteger attackerJwksFetches = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Duration jwksMaxAge;
  private volatile Outage outage;
  private volatile HttpServer server;
  private volatile int port;

  private TokenIssuer(Vertx vertx, IssuerOptions options) {
    this.vertx = vertx;
    this.options = options;
    this.jwksMaxAge = options.jwksMaxAge();
    this.keys = new KeyRing(options.signingAlgorithm());
    for (JwsAlgorithm algorithm : JwsAlgorithm.values()) {
      keys.add(algorithm);
    }
  }

  /** Starts an issuer with {@link IssuerOptions#defaults()}. */
  public static TokenIssuer start(Vertx vertx) {
    return start(vertx, IssuerOptions.defaults());
  }

  /** Generates the keys (RSA: up to a few hundred ms) and starts listening. */
  public static TokenIssuer start(Vertx vertx, IssuerOptions options) {
    TokenIssuer issuer = new TokenIssuer(vertx, Objects.requireNonNull(options, "options"));
    issuer.listen(0);
    return issuer;
  }

  /** A token with the defaults described in {@link TokenBuilder}, to adjust and {@link TokenBuilder#sign()}. */
  public TokenBuilder token() {
    return new TokenBuilder(this, options, Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  /** A valid token with default claims. */
  public String mint() {
    return token().sign();
  }

  /** A valid token: the defaults, with {@code claims} added or replacing them. */
  public String mint(JsonObject claims) {
    return token().claims(claims).sign();
  }

  /**
   * Adds a key of the current signing algorithm and signs with it from now on; the previous key stays published
   * until {@link #retire}. Returns the new {@code kid}.
   */
  public String rotate() {
    return rotate(keys.signingKey().algorithm());
  }

  /** Adds a key of {@code algorithm}, publishes it and makes {@code algorithm} the signing algorithm. */
  public String rotate(JwsAlgorithm algorithm) {
    return keys.rotate(algorithm).kid();
  }

  /** Removes a key from the JWKS; tokens can still be signed with it via {@link TokenBuilder#kid}. */
  public TokenIssuer retire(String kid) {
    keys.retire(kid);
    return this;
  }

  /** The key tokens are signed with by default. */
  public SigningKey signingKey() {
    return keys.signingKey();
  }

  /** The newest published key of {@code algorithm}. */
  public SigningKey key(JwsAlgorithm algorithm) {
    return keys.active(algorithm);
  }

  /** Published keys, oldest first. */
  public List<SigningKey> publishedKeys() {
    return keys.published();
  }

  /** The JWK Set as {@value #JWKS_PATH} serves it now; a fresh copy. */
  public JsonObject jwks() {
    return jwksOf(keys.published());
  }

  /** Changes the {@code Cache-Control: max-age} of later JWKS responses. */
  public TokenIssuer jwksMaxAge(Duration maxAge) {
    if (maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge must not be negative: " + maxAge);
    }
    this.jwksMaxAge = maxAge;
    return this;
  }

  /** Makes every endpoint answer 503 until {@link #up()}. */
  public TokenIssuer down() {
    return down(Outage.SERVICE_UNAVAILABLE);
  }

  /** Starts an outage of the given kind; ends any previous one first. */
  public TokenIssuer down(Outage kind) {
    Objects.requireNonNull(kind, "kind");
    up();
    if (kind == Outage.CONNECTION_REFUSED) {
      Await.result(server.close(), LIFECYCLE_TIMEOUT);
      ListeningPorts.awaitClosed(port, LIFECYCLE_TIMEOUT);
    }
    outage = kind;
    return this;
  }

  /**
   * Ends an outage. After {@link Outage#CONNECTION_REFUSED} it listens again on the same port (which another
   * process could in theory have taken meanwhile; then this fails).
   */
  public TokenIssuer up() {
    if (outage == Outage.CONNECTION_REFUSED) {
      listen(port);
    }
    outage = null;
    return this;
  }

  /** Requests that reached {@value #JWKS_PATH}, answered or 503 (refused connections are not seen). */
  public int jwksFetches() {
    return jwksFetches.get();
  }

  /** Requests that reached {@value #DISCOVERY_PATH}. */
  public int discoveryFetches() {
    return discoveryFetches.get();
  }

  /** Requests that reached {@value #ATTACKER_JWKS_PATH}: a gateway that follows {@code jku} headers. */
  public int attackerJwksFetches() {
    return attackerJwksFetches.get();
  }

  /**
   * Waits until at least {@code atLeast} JWKS fetches were seen, for gateways that refresh in the background.
   *
   * @throws AssertionError when fewer arrived within {@code timeout}
   */
  public void awaitJwksFetches(int atLeast, Duration timeout) {
    Await.until(() -> jwksFetches() >= atLeast, timeout,
        () -> "expected at least " + atLeast + " JWKS fetches, saw " + jwksFetches());
  }

  public int port() {
    return port;
  }

  /** The {@code iss} of minted tokens and the discovery base: {@code http://127.0.0.1:<port>}, no trailing slash. */
  public String issuer() {
    return "http://" + LOOPBACK + ":" + port;
  }

  public String discoveryUri() {
    return issuer() + DISCOVERY_PATH;
  }

  public String jwksUri() {
    return issuer() + JWKS_PATH;
  }

  public String attackerJwksUri() {
    return issuer() + ATTACKER_JWKS_PATH;
  }

  /** Stops listening and closes open connections; idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true) && outage != Outage.CONNECTION_REFUSED) {
      Await.result(server.close(), LIFECYCLE_TIMEOUT);
    }
  }

  @Override
  public String toString() {
    return "TokenIssuer[" + issuer() + ", signing with " + keys.signingKey() + "]";
  }

  KeyRing keyRing() {
    return keys;
  }

  private void listen(int wantedPort) {
    HttpServer fresh = vertx.createHttpServer(new HttpServerOptions().setHost(LOOPBACK).setPort(wantedPort))
        .requestHandler(this::onRequest);
    Await.result(fresh.listen(wantedPort, LOOPBACK), LIFECYCLE_TIMEOUT);
    server = fresh;
    port = fresh.actualPort();
  }

  private void onRequest(HttpServerRequest request) {
    AtomicInteger counter = switch (request.path()) {
      case DISCOVERY_PATH -> discoveryFetches;
      case JWKS_PATH -> jwksFetches;
      case ATTACKER_JWKS_PATH -> attackerJwksFetches;
      default -> null;
    };
    if (counter == null) {
      request.response().setStatusCode(404).end();
      return;
    }
    counter.incrementAndGet();
    if (request.method() != HttpMethod.GET) {
      request.response().setStatusCode(405).putHeader("Allow", "GET").end();
    } else if (outage != null) {
      request.response().setStatusCode(503).putHeader("Cache-Control", "no-store").end();
    } else if (counter == discoveryFetches) {
      json(request, discoveryDocument(), "no-cache");
    } else if (counter == jwksFetches) {
      json(request, jwks(), "public, max-age=" + jwksMaxAge.toSeconds());
    } else {
      json(request, jwksOf(keys.strangers()), "no-cache");
    }
  }

  private JsonObject discoveryDocument() {
    JsonArray algorithms = new JsonArray();
    for (JwsAlgorithm algorithm : JwsAlgorithm.values()) {
      algorithms.add(algorithm.joseName());
    }
    return new JsonObject()
        .put("issuer", issuer())
        .put("jwks_uri", jwksUri())
        .put("authorization_endpoint", issuer() + "/authorize")
        .put("token_endpoint", issuer() + "/token")
        .put("response_types_supported", new JsonArray().add("code"))
        .put("subject_types_supported", new JsonArray().add("public"))
        .put("id_token_signing_alg_values_supported", algorithms);
  }

  private static JsonObject jwksOf(List<SigningKey> published) {
    JsonArray array = new JsonArray();
    published.forEach(key -> array.add(key.publicJwk()));
    return new JsonObject().put("keys", array);
  }

  private static void json(HttpServerRequest request, JsonObject body, String cacheControl) {
    request.response()
        .putHeader("Content-Type", "application/json")
        .putHeader("Cache-Control", cacheControl)
        .end(body.encode());
  }
}
