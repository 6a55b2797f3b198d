package io.tollgate.sync;

import io.tollgate.auth.keys.IssuersConfigured;
import io.tollgate.config.ConfigError;
import io.tollgate.config.ConfigException;
import io.tollgate.config.ConfigLoader;
import io.tollgate.config.GatewayConfig;
import io.tollgate.events.Addresses;
import io.tollgate.health.GatewayState;
import io.tollgate.store.ManagedEntities;
import io.tollgate.sync.ControlPlaneState.Source;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the configuration (control plane, one instance): publishes compiled {@link ConfigSnapshot}s on
 * {@link Addresses#CONFIG_SNAPSHOT_PUBLISHED} and answers {@link Addresses#CONFIG_GET_SNAPSHOT}.
 *
 * <p><b>File mode</b> (no {@code controlPlane:}): the YAML file is checked for changes every {@code watchInterval}
 * ms. A valid change is published as the next version; an invalid one is refused with every error logged and
 * published on {@link Addresses#CONFIG_REJECTED}, and the last good config keeps serving.
 *
 * <p><b>Control-plane mode</b>: the file is the node's bootstrap; services, routes, limits and keys come from the
 * {@link ManagedConfigFeed} (Postgres and the config topic). At start the last-known-good file is served if there is
 * one (readiness says so), then the feed takes over. Each new version is compiled with the bootstrap; a valid one is
 * published and written as the new last-known-good, an invalid one is counted and refused while the last good
 * config keeps serving. A changed bootstrap file is compiled with the latest entities.
 *
 * <p>Every compilation — validation, binding and the snapshot (route table, policies) — runs off the event loop, one
 * at a time and in the order requested (ordered {@code executeBlocking}); each task reads the newest bootstrap and
 * entities when it runs, so a bootstrap reload and a managed change can never undo each other. Only the swap and the
 * publication happen on the event loop. Listener settings take effect only after a restart.
 */
public final class ConfigSyncVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ConfigSyncVerticle.class);
  /** Readiness check of a control-plane node until it serves a managed config. */
  static final String CHECK = "control-plane";

  private final GatewayState state;
  private final GatewayConfig initial;
  private final Path file;
  private final Map<String, String> env;
  private final long watchIntervalMs;
  private volatile ConfigSnapshot current;
  /** The bootstrap the last successful compilation used; read and written by compile tasks. */
  private volatile String bootstrapYaml;
  /** The newest entities known (set on the event loop as they arrive, read by compile tasks). */
  private volatile ManagedEntities entities = ManagedEntities.EMPTY;
  private LastKnownGood lastKnownGood;
  private ManagedConfigFeed feed;
  private long lastModified = -1;
  private boolean reloading;

  /**
   * @param initial         the already validated config the process started with
   * @param file            the YAML file to watch; null for a fixed config (tests, embedding)
   * @param bootstrapYaml   the text {@code initial} was parsed from, or null to read it from {@code file}; needed in
   *                        control-plane mode only
   * @param watchIntervalMs how often to check the file for changes; 0 disables watching
   */
  public ConfigSyncVerticle(GatewayState state, GatewayConfig initial, Path file, String bootstrapYaml,
      Map<String, String> env, long watchIntervalMs) {
    this.state = state;
    this.initial = initial;
    this.file = file;
    this.bootstrapYaml = bootstrapYaml;
    this.env = env;
    this.watchIntervalMs = watchIntervalMs;
  }

  @Override
  public Future<?> start() {
    current = SnapshotCompiler.compile(1, initial, file == null ? "embedded" : file.toString(), state);
    state.configApplied(current.version());
    vertx.eventBus().consumer(Addresses.CONFIG_GET_SNAPSHOT, msg -> msg.reply(current));
    vertx.eventBus().<ManagedEntities>consumer(Addresses.CONFIG_VALIDATE, msg -> validate(msg.body())
        .onComplete(ar -> msg.reply(ar.succeeded() ? ar.result() : new JsonArray().add(new JsonObject()
            .put("path", "<root>").put("message", "validation failed: " + ar.cause().getMessage())))));
    Future<?> started = Future.succeededFuture();
    if (initial.managed()) {
      state.notReady(CHECK, "waiting for the config store (no last-known-good config)");
      started = startManaged();
    }
    if (file != null && watchIntervalMs > 0) {
      vertx.setPeriodic(watchIntervalMs, id -> checkFile());
      started = started.compose(v -> vertx.fileSystem().props(file.toString()))
          .map(props -> lastModified = props.lastModifiedTime());
    }
    return started;
  }

  @Override
  public Future<?> stop() {
    return feed == null ? Future.succeededFuture() : feed.stop();
  }

  /** The snapshot being served; readable from any thread once the verticle has started. */
  public ConfigSnapshot current() {
    return current;
  }

  private Future<?> startManaged() {
    lastKnownGood = new LastKnownGood(initial.controlPlane().lastKnownGood());
    return vertx.executeBlocking(() -> {
      if (bootstrapYaml == null) {
        bootstrapYaml = Files.readString(file);
      }
      return lastKnownGood.read();
    }).recover(e -> {
      LOG.error("last-known-good config {} unusable: {}", lastKnownGood.file(), e.getMessage());
      return Future.succeededFuture(null);
    }).compose(saved -> {
      Future<Void> applied = Future.succeededFuture();
      if (saved != null) {
        LOG.info("serving last-known-good config version {} from {} until the config store answers",
            saved.version(), lastKnownGood.file());
        applied = applyManaged(saved, Source.LAST_KNOWN_GOOD);
      }
      return applied.onComplete(v -> {
        feed = new ManagedConfigFeed(vertx, initial.controlPlane(), state.controlPlane(),
            saved == null ? ManagedEntities.EMPTY : saved, next -> applyManaged(next, Source.CONTROL_PLANE));
        feed.start();
      });
    });
  }

  /** Compiles new entities with the newest bootstrap and publishes them when valid. */
  private Future<Void> applyManaged(ManagedEntities next, Source source) {
    entities = next;
    String label = (source == Source.LAST_KNOWN_GOOD ? "last-known-good v" : "control-plane v") + next.version();
    return apply(() -> next.compile(bootstrapYaml, env), label).compose(published -> {
      if (!published) {
        state.controlPlane().rejected();
        return Future.succeededFuture();
      }
      state.controlPlane().applied(source, next.version());
      state.ready(CHECK);
      if (source == Source.LAST_KNOWN_GOOD) {
        return Future.succeededFuture();
      }
      return vertx.executeBlocking(() -> {
        lastKnownGood.write(next);
        return null;
      }).<Void>mapEmpty().recover(e -> {
        LOG.error("cannot write last-known-good config {}: {}", lastKnownGood.file(), e.toString());
        return Future.succeededFuture();
      });
    });
  }

  /**
   * Builds and compiles a config off the event loop (ordered with every other compilation), then swaps it in.
   * Completes with whether it was published; an invalid config is refused with every error.
   */
  private Future<Boolean> apply(Callable<GatewayConfig> build, String source) {
    return vertx.executeBlocking(() -> SnapshotCompiler.compile(0, build.call(), source, state))
        .map(snapshot -> {
          publish(snapshot);
          return true;
        })
        .recover(e -> {
          if (e instanceof ConfigException invalid) {
            refuse(invalid, source);
          } else {
            LOG.error("config from {} could not be compiled; version {} keeps serving", source, current.version(), e);
          }
          return Future.succeededFuture(false);
        });
  }

  /** Every error the entities would have on top of this node's bootstrap (compiled off the event loop). */
  private Future<JsonArray> validate(ManagedEntities proposed) {
    if (!initial.managed()) {
      return Future.succeededFuture(new JsonArray().add(new JsonObject().put("path", "controlPlane")
          .put("message", "this node has no control plane: its config is its file")));
    }
    return vertx.executeBlocking(() -> {
      JsonArray errors = new JsonArray();
      try {
        proposed.compile(bootstrapYaml, env);
      } catch (ConfigException e) {
        e.errors().forEach(error -> errors.add(new JsonObject().put("path", error.path())
            .put("message", error.message())));
      }
      return errors;
    }, false);
  }

  private void checkFile() {
    if (reloading) {
      return;
    }
    reloading = true;
    vertx.fileSystem().props(file.toString()).onComplete(props -> {
      if (props.failed() || props.result().lastModifiedTime() == lastModified) {
        reloading = false;
        return;
      }
      lastModified = props.result().lastModifiedTime();
      apply(this::reloadFile, file.toString()).onComplete(v -> reloading = false);
    });
  }

  /** Runs in a compile task: the file's config (file mode), or the new bootstrap with the newest entities. */
  private GatewayConfig reloadFile() throws Exception {
    String text = Files.readString(file);
    GatewayConfig config = ConfigLoader.parse(text, env);
    if (!initial.managed()) {
      return config;
    }
    GatewayConfig merged = entities.compile(text, env);
    bootstrapYaml = text;
    return merged;
  }

  /** On the event loop: the compiled snapshot becomes the next version. */
  private void publish(ConfigSnapshot compiled) {
    if (!compiled.config().listener().equals(current.config().listener())) {
      LOG.warn("listener settings changed in {}; they take effect after a restart", compiled.source());
    }
    current = compiled.withVersion(current.version() + 1);
    state.configApplied(current.version());
    vertx.eventBus().publish(Addresses.CONFIG_SNAPSHOT_PUBLISHED, current);
    // Token issuers may have changed: the keys verticle reconciles its fetchers (unchanged ones keep their keys).
    vertx.eventBus().publish(Addresses.AUTH_ISSUERS_CONFIGURED,
        new IssuersConfigured(current.auth().sources()));
    LOG.info("config version {} applied from {}", current.version(), current.source());
  }

  private void refuse(ConfigException e, String source) {
    JsonArray errors = new JsonArray();
    for (ConfigError error : e.errors()) {
      LOG.error("config rejected: {}", error);
      errors.add(new JsonObject().put("path", error.path()).put("message", error.message()));
    }
    LOG.error("config from {} refused with {} error(s); version {} keeps serving", source, e.errors().size(),
        current.version());
    vertx.eventBus().publish(Addresses.CONFIG_REJECTED, errors);
  }
}
