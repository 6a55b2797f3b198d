package io.tollgate.testing;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls a test gateway's Admin API (management listener) with an admin key, as an operator's script would. */
public final class AdminClient {

  private final HttpClient http = HttpClient.newHttpClient();
  private final int port;
  private final String key;

  public AdminClient(TestGateway gateway, String key) {
    this(gateway.managementPort(), key);
  }

  public AdminClient(int managementPort, String key) {
    this.port = managementPort;
    this.key = key;
  }

  public HttpResponse<String> get(String path) {
    return send("GET", path, null, null);
  }

  public HttpResponse<String> put(String path, JsonObject body) {
    return send("PUT", path, body, null);
  }

  public HttpResponse<String> put(String path, JsonObject body, String ifMatch) {
    return send("PUT", path, body, ifMatch);
  }

  public HttpResponse<String> post(String path, JsonObject body) {
    return send("POST", path, body, null);
  }

  public HttpResponse<String> delete(String path) {
    return send("DELETE", path, null, null);
  }

  public HttpResponse<String> send(String method, String path, JsonObject body, String ifMatch) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.encode()));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    if (ifMatch != null) {
      request.header("If-Match", ifMatch);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(method + " " + path + " failed", e);
    }
  }
}
