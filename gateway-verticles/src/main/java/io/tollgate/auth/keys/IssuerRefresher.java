package io.tollgate.auth.keys;

import io.tollgate.auth.jwt.KeySet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one remote issuer's keys fresh: discovery (when configured), JWKS fetch, parse, then the next fetch at the
 * time {@link RefreshDelays} says. Confined to the keys verticle's event loop: every method and callback runs there,
 * so no locking. At most one fetch is in flight; a failed one keeps the last good keys and only records the error.
 */
final class IssuerRefresher {

  private static final Logger LOG = LoggerFactory.getLogger(IssuerRefresher.class);

  private final Vertx vertx;
  private final IssuerSource source;
  private final JsonFetcher fetcher;
  private final KeySetFactory keySets;
  private final Consumer<IssuerKeys> onChange;
  private IssuerKeys current;
  /** From config, or from the discovery document until a JWKS fetch fails (then discovery runs again). */
  private String jwksUri;
  private boolean inFlight;
  private boolean stopped;
  private int failures;
  private long timer = -1;
  private long lastRequestedNanos;
  private boolean everRequested;

  IssuerRefresher(Vertx vertx, IssuerSource source, JsonFetcher fetcher, KeySetFactory keySets,
      Consumer<IssuerKeys> onChange) {
    this.vertx = vertx;
    this.source = source;
    this.fetcher = fetcher;
    this.keySets = keySets;
    this.onChange = onChange;
    this.current = IssuerKeys.none(keySets.empty(), source.expectedIssuer());
    this.jwksUri = source.jwksUrl();
  }

  IssuerKeys current() {
    return current;
  }

  /** The first attempt; the future completes (never fails) once it ended, whatever the outcome. */
  Future<Void> start() {
    return attempt();
  }

  /**
   * A token named a kid these keys lack. Refetches unless a fetch is already in flight or the last one requested
   * this way started less than {@code unknownKidCooldown} ago — kids are attacker-chosen, the IdP must not pay.
   */
  void refreshRequested() {
    long now = System.nanoTime();
    if (inFlight || stopped
        || (everRequested && now - lastRequestedNanos < source.unknownKidCooldown().toNanos())) {
      LOG.debug("issuer {}: refresh request ignored (in flight or within cooldown)", source.name());
      return;
    }
    everRequested = true;
    lastRequestedNanos = now;
    attempt();
  }

  void stop() {
    stopped = true;
    vertx.cancelTimer(timer);
  }

  private Future<Void> attempt() {
    vertx.cancelTimer(timer);
    inFlight = true;
    return jwksLocation()
        .compose(fetcher::get)
        .compose(this::parse)
        .transform(ar -> {
          inFlight = false;
          if (!stopped) {
            if (ar.succeeded()) {
              succeeded(ar.result());
            } else {
              failed(ar.cause());
            }
          }
          return Future.<Void>succeededFuture();
        });
  }

  private Future<String> jwksLocation() {
    if (jwksUri != null) {
      return Future.succeededFuture(jwksUri);
    }
    return fetcher.get(source.discoveryUrl()).compose(discovered -> {
      JsonObject doc = discovered.json();
      Object issuer = doc.getValue("issuer");
      Object location = doc.getValue("jwks_uri");
      // OIDC Discovery §4.3: the document must name exactly the issuer we expect, or its keys could sign for
      // another issuer's tokens (mix-up). Nothing from a mismatching document is used.
      if (!source.expectedIssuer().equals(issuer)) {
        return Future.failedFuture(VertxException.noStackTrace("discovery document at " + source.discoveryUrl()
            + " names issuer " + quoted(issuer) + ", expected " + quoted(source.expectedIssuer())));
      }
      if (!(location instanceof String uri) || !(uri.startsWith("https://") || uri.startsWith("http://"))) {
        return Future.failedFuture(VertxException.noStackTrace("discovery document at " + source.discoveryUrl()
            + " has no http(s) jwks_uri"));
      }
      jwksUri = uri;
      return Future.succeededFuture(uri);
    });
  }

  private Future<Fresh> parse(JsonFetcher.Fetched fetched) {
    Instant now = Instant.now();
    KeySet keys;
    try {
      keys = keySets.fromJwks(fetched.json(), source.algorithms(), now);
    } catch (RuntimeException e) {
      return Future.failedFuture(VertxException.noStackTrace(jwksUri + ": not a usable JWK Set: " + e.getMessage()));
    }
    Set<String> kids = keySets.kids(keys);
    if (kids.isEmpty()) {
      // An empty or unusable JWKS is far more likely a broken IdP or a wrong algorithm pin than a real wish to
      // reject every token: keep the last good keys and say so.
      return Future.failedFuture(VertxException.noStackTrace(jwksUri + ": no usable keys for "
          + source.algorithms()));
    }
    Duration next = RefreshDelays.afterSuccess(RefreshDelays.freshness(fetched.cacheControl(), fetched.age()),
        source.minRefresh(), source.maxRefresh());
    return Future.succeededFuture(new Fresh(keys, kids, now, next));
  }

  private void succeeded(Fresh fresh) {
    if (!fresh.kids().equals(current.kids())) {
      LOG.info("issuer {}: {} key(s) in force {} (were {}); next refresh in {}", source.name(), fresh.kids().size(),
          fresh.kids(), current.kids(), fresh.next());
      keySets.problems(fresh.keys()).forEach(problem ->
          LOG.warn("issuer {}: JWKS key dropped: {}", source.name(), problem));
    }
    if (failures > 0) {
      LOG.info("issuer {}: keys fetched again after {} failed attempt(s)", source.name(), failures);
    }
    failures = 0;
    current = current.replacedBy(fresh.keys(), fresh.kids(), fresh.fetchedAt());
    onChange.accept(current);
    schedule(fresh.next());
  }

  private void failed(Throwable cause) {
    failures++;
    if (source.discoveryUrl() != null) {
      jwksUri = null;
    }
    String error = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    Duration retry = RefreshDelays.afterFailure(failures, source.minRefresh(), source.maxRefresh());
    current = current.failed(error, Instant.now());
    onChange.accept(current);
    if (current.hasKeys()) {
      LOG.warn("issuer {}: key fetch failed ({}); keeping {} key(s) fetched at {}; retry in {}", source.name(),
          error, current.kids().size(), current.fetchedAt(), retry);
    } else {
      LOG.warn("issuer {}: key fetch failed ({}); no keys yet, its tokens are rejected; retry in {}", source.name(),
          error, retry);
    }
    schedule(retry);
  }

  private void schedule(Duration delay) {
    timer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> {
      if (!inFlight && !stopped) {
        attempt();
      }
    });
  }

  private static String quoted(Object value) {
    return value instanceof String s ? "\"" + s + "\"" : String.valueOf(value);
  }

  private record Fresh(KeySet keys, Set<String> kids, Instant fetchedAt, Duration next) {
  }
}
