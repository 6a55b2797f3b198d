package io.tollgate.testing;

import io.tollgate.bootstrap.Gateway;
import io.tollgate.config.ConfigLoader;
import io.tollgate.config.GatewayConfig;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real gateway started in the test JVM exactly as {@code Main} starts it (same {@link Gateway} class), on free
 * ports, with the blocked-thread guard's Vert.x options. Plus a JDK HTTP client aimed at it.
 */
public final class TestGateway implements AutoCloseable {

  private final Gateway gateway;
  private final HttpClient http = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private TestGateway(Gateway gateway) {
    this.gateway = gateway;
  }

  /** Starts a gateway from YAML; {@code ${VAR}} references resolve against {@code env}. */
  public static TestGateway start(String yaml, Map<String, String> env) {
    try {
      return start(ConfigLoader.parse(yaml, env), null, yaml, env);
    } catch (io.tollgate.config.ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** Starts a gateway from a YAML file that it watches for changes (hot reload), as {@code Main} does. */
  public static TestGateway startWatching(java.nio.file.Path file, Map<String, String> env) {
    try {
      return start(ConfigLoader.load(file, env), file, null, env);
    } catch (io.tollgate.config.ConfigException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  private static TestGateway start(GatewayConfig config, java.nio.file.Path file, String yaml,
      Map<String, String> env) {
    try {
      Gateway g = Gateway.start(config, file, yaml, env, BlockedThreadGuard.vertxOptions().setEventLoopPoolSize(2)
          .setPreferNativeTransport(true))
          .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      return new TestGateway(g);
    } catch (Exception e) {
      throw new IllegalStateException("test gateway failed to start", e);
    }
  }

  public int port() {
    return gateway.port();
  }

  public int managementPort() {
    return gateway.managementPort();
  }

  public Gateway gateway() {
    return gateway;
  }

  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
  }

  public HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(20));
  }

  public HttpResponse<String> get(String pathAndQuery) {
    return send(request(pathAndQuery).GET().build());
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException("request failed: " + request, e);
    }
  }

  /** The management listener's {@code /status} document. */
  public io.vertx.core.json.JsonObject managementStatus() {
    HttpResponse<String> response = send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + managementPort() + "/status")).timeout(Duration.ofSeconds(10)).build());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("management /status answered " + response.statusCode());
    }
    return new io.vertx.core.json.JsonObject(response.body());
  }

  /** The body of a GET on the management listener (e.g. {@code /metrics}). */
  public String managementGet(String path) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort() + path))
        .timeout(Duration.ofSeconds(10)).build()).body();
  }

  /** One service of the management {@code /status} document, by name. */
  public io.vertx.core.json.JsonObject serviceStatus(String name) {
    io.vertx.core.json.JsonArray services = managementStatus().getJsonArray("services");
    for (int i = 0; i < services.size(); i++) {
      if (services.getJsonObject(i).getString("name").equals(name)) {
        return services.getJsonObject(i);
      }
    }
    throw new AssertionError("no service " + name + " in /status");
  }

  /** One service of the public {@code /api/gateway/services} document, by name. */
  public io.vertx.core.json.JsonObject publicServiceStatus(String name) {
    io.vertx.core.json.JsonArray services =
        new io.vertx.core.json.JsonObject(get("/api/gateway/services").body()).getJsonArray("services");
    for (int i = 0; i < services.size(); i++) {
      if (services.getJsonObject(i).getString("name").equals(name)) {
        return services.getJsonObject(i);
      }
    }
    throw new AssertionError("no service " + name + " in /api/gateway/services");
  }

  /** A counter from the management {@code /status} document; 0 when it was never incremented. */
  public long counter(String name) {
    Long value = managementStatus().getJsonObject("counters").getLong(name);
    return value == null ? 0 : value;
  }

  public HttpClient http() {
    return http;
  }

  @Override
  public void close() {
    try {
      gateway.shutdown().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("test gateway did not stop", e);
    }
  }
}
