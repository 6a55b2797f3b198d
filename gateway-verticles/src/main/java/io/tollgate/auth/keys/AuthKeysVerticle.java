package io.tollgate.auth.keys;

import io.tollgate.events.Addresses;
import io.tollgate.health.GatewayState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the token verification keys (control plane, one instance): fetches every configured issuer's keys, keeps
 * them fresh, and publishes them as one immutable {@link AuthKeys} snapshot that ingress instances swap in.
 *
 * <ul>
 *   <li>Publishes on {@link Addresses#AUTH_KEYS_PUBLISHED} after every fetch attempt (new keys, or a failure that
 *       changes the status), answers {@link Addresses#AUTH_GET_KEYS} with the current snapshot, and refetches an
 *       issuer on {@link Addresses#AUTH_REFRESH_REQUESTED} (body: issuer name) at most once per its
 *       {@code unknownKidCooldown}. Follow it with {@link AuthKeysFeed#follow}.
 *   <li>Per remote issuer: OIDC discovery when configured, then the JWKS; the next fetch at the response's
 *       {@code Cache-Control: max-age} clamped into the issuer's refresh bounds; failures back off exponentially
 *       up to {@code maxRefresh}, and the last good keys stay in force meanwhile ({@link RefreshDelays}).
 *       HS256 secret issuers are loaded once in {@code start()}.
 *   <li>{@code start()} completes once every issuer had one attempt, successful or not — bounded by the fetch
 *       timeouts ({@link JsonFetcher}), never waiting for an identity provider to come back. An issuer without keys
 *       has {@code KeySet.empty()}: its tokens are rejected (fail closed) until a fetch succeeds.
 *   <li>Readiness check {@value #READINESS_CHECK}: failing until the first attempts ended, then passing whatever
 *       their outcome. A down identity provider must not take every node out of the load balancer — routes that
 *       need no token (or API keys, or other issuers) keep working, and affected tokens get a clean 401.
 *       Staleness and errors are visible in {@link #status()} instead.
 *   <li>Registers the local {@link io.tollgate.sync.LocalCodec} for {@link AuthKeys} unless one is registered already, and
 *       removes it again on undeploy if it registered it.
 * </ul>
 */
public final class AuthKeysVerticle extends VerticleBase {

  /** Name of the readiness check in {@link GatewayState}. */
  public static final String READINESS_CHECK = "auth-keys";

  private static final Logger LOG = LoggerFactory.getLogger(AuthKeysVerticle.class);

  private final GatewayState state;
  private final List<IssuerSource> sources;
  private final Map<String, IssuerSource> active = new LinkedHashMap<>();
  private JsonFetcher fetcher;
  private final KeySetFactory keySets;
  private final Map<String, IssuerRefresher> refreshers = new LinkedHashMap<>();
  private HttpClient client;
  private boolean registeredCodec;
  private volatile AuthKeys current;

  /**
   * @param state   readiness is reported here; null to skip (embedding, tests)
   * @param sources the issuers, names unique
   */
  public AuthKeysVerticle(GatewayState state, List<IssuerSource> sources) {
    this(state, sources, KeySetFactory.JWT);
  }

  AuthKeysVerticle(GatewayState state, List<IssuerSource> sources, KeySetFactory keySets) {
    this.state = state;
    this.sources = List.copyOf(sources);
    this.keySets = keySets;
    if (this.sources.stream().map(IssuerSource::name).distinct().count() != this.sources.size()) {
      throw new IllegalArgumentException("issuer names must be unique: " + this.sources);
    }
  }

  @Override
  public Future<?> start() {
    registerCodec(vertx.eventBus());
    if (state != null) {
      state.notReady(READINESS_CHECK, "first fetch of the token verification keys in progress");
    }
    client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) JsonFetcher.CONNECT_TIMEOUT_MS));
    fetcher = new JsonFetcher(vertx, client);
    Map<String, IssuerKeys> initial = new TreeMap<>();
    for (IssuerSource source : sources) {
      initial.put(source.name(), activate(source));
    }
    current = new AuthKeys(1, initial);
    vertx.eventBus().consumer(Addresses.AUTH_GET_KEYS, msg -> msg.reply(current));
    vertx.eventBus().<Object>consumer(Addresses.AUTH_REFRESH_REQUESTED, msg -> refreshRequested(msg.body()));
    vertx.eventBus().<IssuersConfigured>consumer(Addresses.AUTH_ISSUERS_CONFIGURED,
        msg -> reconcile(msg.body().sources()));
    List<Future<Void>> first = new ArrayList<>();
    refreshers.values().forEach(refresher -> first.add(refresher.start()));
    return Future.join(first).onComplete(ar -> {
      if (state != null) {
        state.ready(READINESS_CHECK);
      }
      current.issuers().forEach((name, keys) -> LOG.info("issuer {} ({}): {} key(s){}", name, keys.issuer(),
          keys.kids().size(), keys.lastError() == null ? "" : "; last error: " + keys.lastError()));
    });
  }

  @Override
  public Future<?> stop() {
    refreshers.values().forEach(IssuerRefresher::stop);
    if (registeredCodec) {
      vertx.eventBus().unregisterDefaultCodec(AuthKeys.class);
      vertx.eventBus().unregisterDefaultCodec(IssuersConfigured.class);
    }
    return client == null ? Future.succeededFuture() : client.close();
  }

  /** Starts following {@code source}: its initial keys (none yet for remote issuers; a refresher fetches them). */
  private IssuerKeys activate(IssuerSource source) {
    active.put(source.name(), source);
    if (!source.isRemote()) {
      return loadSecret(source);
    }
    IssuerRefresher refresher = new IssuerRefresher(vertx, source, fetcher, keySets,
        keys -> publish(source.name(), keys));
    refreshers.put(source.name(), refresher);
    return refresher.current();
  }

  /**
   * Applies a new issuer list (a config reload): unchanged issuers keep their keys and schedules, removed ones
   * stop, new or changed ones start fetching at once. Publishes the result. Runs on this verticle's event loop.
   */
  public void reconcile(List<IssuerSource> next) {
    Map<String, IssuerSource> byName = new LinkedHashMap<>();
    next.forEach(source -> byName.put(source.name(), source));
    boolean changed = false;
    for (String name : List.copyOf(active.keySet())) {
      if (!active.get(name).equals(byName.get(name))) {
        IssuerRefresher refresher = refreshers.remove(name);
        if (refresher != null) {
          refresher.stop();
        }
        active.remove(name);
        current = current.without(name);
        changed = true;
      }
    }
    for (IssuerSource source : next) {
      if (!active.containsKey(source.name())) {
        current = current.with(source.name(), activate(source));
        IssuerRefresher refresher = refreshers.get(source.name());
        if (refresher != null) {
          refresher.start();
        }
        changed = true;
      }
    }
    if (changed) {
      LOG.info("token issuers reconfigured: {}", byName.keySet());
      vertx.eventBus().publish(Addresses.AUTH_KEYS_PUBLISHED, current);
    }
  }

  /** The keys in force now; thread-safe (an immutable snapshot). */
  public AuthKeys current() {
    return current;
  }

  /** The {@code auth} section of {@code /api/gateway/status} ({@link AuthKeys#status}); thread-safe. */
  public JsonObject status() {
    return current.status(Instant.now());
  }

  private IssuerKeys loadSecret(IssuerSource source) {
    Instant now = Instant.now();
    var keys = keySets.hmac(source.hmacSecret(), now);
    return IssuerKeys.none(keySets.empty(), source.expectedIssuer()).replacedBy(keys, keySets.kids(keys), now);
  }

  private void publish(String name, IssuerKeys keys) {
    current = current.with(name, keys);
    vertx.eventBus().publish(Addresses.AUTH_KEYS_PUBLISHED, current);
  }

  private void refreshRequested(Object body) {
    IssuerRefresher refresher = body instanceof String name ? refreshers.get(name) : null;
    if (refresher == null) {
      // Unknown names, secret issuers and malformed bodies: nothing to fetch.
      LOG.debug("refresh requested for {}: no such remote issuer", body);
      return;
    }
    refresher.refreshRequested();
  }

  private void registerCodec(EventBus bus) {
    try {
      bus.registerDefaultCodec(AuthKeys.class, new io.tollgate.sync.LocalCodec<AuthKeys>("tollgate-auth-keys"));
      bus.registerDefaultCodec(IssuersConfigured.class,
          new io.tollgate.sync.LocalCodec<IssuersConfigured>("tollgate-issuers-configured"));
      registeredCodec = true;
    } catch (IllegalStateException alreadyRegistered) {
      // The embedding application registered it (as Gateway does for config snapshots); use that one.
    }
  }
}
