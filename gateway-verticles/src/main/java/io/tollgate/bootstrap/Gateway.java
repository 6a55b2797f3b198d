package io.tollgate.bootstrap;

import io.tollgate.admin.AdminVerticle;
import io.tollgate.auth.keys.AuthKeys;
import io.tollgate.auth.keys.AuthKeysVerticle;
import io.tollgate.auth.keys.IssuersConfigured;
import io.tollgate.config.GatewayConfig;
import io.tollgate.health.GatewayState;
import io.tollgate.observability.GatewayMetrics;
import io.tollgate.observability.NodeMeters;
import io.tollgate.observability.Tracing;
import io.tollgate.ownership.OwnershipSyncVerticle;
import io.tollgate.ingress.HttpIngressVerticle;
import io.tollgate.store.OutboxRelayVerticle;
import io.tollgate.sync.ConfigSnapshot;
import io.tollgate.sync.LocalCodec;
import io.tollgate.sync.ConfigSyncVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: its Vert.x instance, control-plane verticles and N ingress instances. Used by {@link Main}
 * and by integration tests, so both start the gateway exactly the same way.
 *
 * <p>Deployment order: config sync (so a snapshot exists), then ingress instances (each asks for the snapshot in
 * {@code start()}), then the management listener.
 */
public final class Gateway {

  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

  private final Vertx vertx;
  private final GatewayState state;
  private final GatewayConfig config;
  private final int port;
  private final Tracing tracing;
  private int managementPort = -1;
  private String ingressDeployment;
  private Future<Void> shutdown;

  private Gateway(Vertx vertx, GatewayState state, GatewayConfig config, int port, Tracing tracing) {
    this.vertx = vertx;
    this.tracing = tracing;
    this.state = state;
    this.config = config;
    this.port = port;
  }

  /**
   * The production Vert.x options: one event loop per CPU, the native transport (epoll) preferred; Vert.x falls
   * back to NIO where it is not available. The start-up log names the transport in use.
   */
  public static VertxOptions options() {
    return new VertxOptions().setEventLoopPoolSize(Runtime.getRuntime().availableProcessors())
        .setPreferNativeTransport(true);
  }

  /**
   * Starts a gateway on a new Vert.x instance.
   *
   * @param configFile the file to watch for changes, or null for a fixed config
   * @param options    Vert.x options (event loops, blocked-thread checks, transport): start from {@link #options()}
   */
  public static Future<Gateway> start(GatewayConfig config, Path configFile, Map<String, String> env,
      VertxOptions options) {
    return start(config, configFile, null, env, options);
  }

  /**
   * @param yaml the text {@code config} was parsed from when there is no file (a control-plane node needs its
   *             bootstrap text to merge managed sections into); null to read {@code configFile}
   */
  public static Future<Gateway> start(GatewayConfig config, Path configFile, String yaml, Map<String, String> env,
      VertxOptions options) {
    // One registry per gateway: Vert.x's own meters and Tollgate's land in it, served on the management /metrics.
    GatewayMetrics metrics = new GatewayMetrics(config.management().metrics());
    Tracing tracing = Tracing.of(config.tracing());
    if (tracing != null) {
      tracing.bind(metrics.registry());
    }
    VertxBuilder builder = Vertx.builder();
    if (metrics.enabled()) {
      options.setMetricsOptions(metrics.vertxMetricsOptions());
      builder.withMetrics(metrics.vertxMetricsFactory());
    }
    Vertx vertx = builder.with(options).build();
    vertx.eventBus().registerDefaultCodec(ConfigSnapshot.class, new LocalCodec<ConfigSnapshot>("tollgate-config-snapshot"));
    vertx.eventBus().registerDefaultCodec(io.tollgate.store.ManagedEntities.class,
        new LocalCodec<io.tollgate.store.ManagedEntities>("tollgate-managed-entities"));
    vertx.eventBus().registerDefaultCodec(AuthKeys.class, new LocalCodec<AuthKeys>("tollgate-auth-keys"));
    vertx.eventBus().registerDefaultCodec(IssuersConfigured.class,
        new LocalCodec<IssuersConfigured>("tollgate-issuers-configured"));
    GatewayState state = new GatewayState(version(), metrics, tracing);
    int port;
    try {
      port = resolvePort(config.listener().host(), config.listener().port());
    } catch (IOException e) {
      vertx.close();
      return Future.failedFuture(e);
    }
    Gateway gateway = new Gateway(vertx, state, config, port, tracing);
    int instances = config.listener().instances() > 0 ? config.listener().instances() : options.getEventLoopPoolSize();
    long watchMs = configFile == null ? 0 : 2_000;
    CompletableFuture<Gateway> started = new CompletableFuture<>();
    ConfigSyncVerticle sync = new ConfigSyncVerticle(state, config, configFile, yaml, env, watchMs);
    metrics.bind(new NodeMeters(state, sync::current));
    vertx.deployVerticle(sync)
        .compose(id -> vertx.deployVerticle(new AuthKeysVerticle(state, sync.current().auth().sources())))
        .compose(id -> vertx.deployVerticle(new OwnershipSyncVerticle(state, sync.current().config().ownership())))
        .compose(id -> config.managed() && config.controlPlane().relay().enabled()
            ? vertx.deployVerticle(new OutboxRelayVerticle(config.controlPlane(), state.controlPlane()))
            : Future.succeededFuture(id))
        .compose(id -> vertx.deployVerticle(new io.tollgate.upstream.UpstreamsVerticle(state.upstreams())))
        .compose(id -> vertx.deployVerticle(() -> new HttpIngressVerticle(state, port),
            new DeploymentOptions().setInstances(instances)))
        .compose(id -> {
          gateway.ingressDeployment = id;
          return gateway.startManagement();
        })
        .onComplete(ar -> {
          if (ar.succeeded()) {
            LOG.info("tollgate {} listening on {}:{} with {} ingress instance(s), transport {}", state.version(),
                config.listener().host(), port, instances,
                vertx.isNativeTransportEnabled() ? "native" : "nio");
            started.complete(gateway);
          } else {
            // Complete first: once Vert.x is closed, its contexts can no longer deliver the failure.
            started.completeExceptionally(ar.cause());
            vertx.close();
          }
        });
    return Future.fromCompletionStage(started);
  }

  private Future<Void> startManagement() {
    if (!config.management().enabled()) {
      return Future.succeededFuture();
    }
    AdminVerticle admin = new AdminVerticle(state, config.management(), config.controlPlane());
    return vertx.deployVerticle(admin).map(id -> {
      managementPort = admin.actualPort();
      LOG.info("management listener on {}:{}", config.management().host(), managementPort);
      return null;
    });
  }

  /** Port 0 means "any free port"; every ingress instance must bind the same one, so pick it up front. */
  private static int resolvePort(String host, int configured) throws IOException {
    if (configured != 0) {
      return configured;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, 0));
      return socket.getLocalPort();
    }
  }

  static String version() {
    String v = Gateway.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  public int port() {
    return port;
  }

  /** The management listener's port, or -1 when disabled. */
  public int managementPort() {
    return managementPort;
  }

  public GatewayState state() {
    return state;
  }

  public Vertx vertx() {
    return vertx;
  }

  /**
   * Graceful shutdown: readiness turns 503 at once; after {@code shutdown.readinessGrace} the listeners stop
   * accepting and in-flight requests get up to {@code shutdown.drainTimeout} to finish; queued spans are exported
   * (bounded by the exporter timeout); then Vert.x closes.
   * Idempotent: later calls return the same future.
   */
  public synchronized Future<Void> shutdown() {
    if (shutdown != null) {
      return shutdown;
    }
    state.startDraining();
    Promise<Void> grace = Promise.promise();
    long graceMs = config.shutdown().readinessGrace().toMillis();
    if (graceMs > 0) {
      vertx.setTimer(graceMs, id -> grace.complete());
    } else {
      grace.complete();
    }
    shutdown = grace.future()
        .compose(v -> ingressDeployment == null ? Future.succeededFuture() : vertx.undeploy(ingressDeployment))
        // Flush spans of the drained requests before Vert.x (and its worker pool) goes away.
        .eventually(() -> tracing == null ? Future.succeededFuture() : tracing.shutdown(vertx))
        .eventually(vertx::close);
    return shutdown;
  }
}
