package io.tollgate.testkit.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.parsetools.RecordParser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test API server speaks the list/watch protocol to a real HTTPS client that trusts only its CA file: the token
 * check, LIST with resourceVersions, a WATCH streaming JSON lines from a version, bookmarks, 410 after compaction.
 */
@ExtendWith(BlockedThreadGuard.class)
class KubeApiServerIT {

  /** Generous: the first TLS handshake of a cold JVM on a busy CI machine has taken over 5 s. */
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String PATH = "/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices"
      + "?labelSelector=kubernetes.io%2Fservice-name%3Dorders";

  @TempDir
  static Path dir;
  private static Vertx vertx;
  private static KubeApiServer api;
  private static HttpClient client;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    SelfSignedCert cert = SelfSignedCert.create(dir);
    api = KubeApiServer.start(vertx, cert, "t0ken");
    client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(cert.pem().toString())));
  }

  @AfterAll
  static void stop() {
    api.close();
    vertx.close();
  }

  @Test
  void aRequestWithoutTheTokenIs401WithAStatus() {
    int[] code = new int[1];
    JsonObject status = Await.result(client.request(options(PATH, null)).compose(r -> r.send())
        .compose(response -> {
          code[0] = response.statusCode();
          return response.body();
        }), TIMEOUT).toJsonObject();
    assertThat(code[0]).isEqualTo(401);
    assertThat(status.getString("kind")).isEqualTo("Status");
    assertThat(status.getString("reason")).isEqualTo("Unauthorized");
  }

  @Test
  void listThenWatchFromTheListsVersionThenGoneAfterCompaction() throws Exception {
    api.put("shop", EndpointSlice.ipv4("orders-1", "orders").port("http", 80).ready("10.0.0.1").json());
    api.put("shop", EndpointSlice.ipv4("other-1", "other").port("http", 80).ready("10.0.0.9").json());
    JsonObject list = Await.result(client.request(options(PATH, "t0ken")).compose(r -> r.send())
        .compose(HttpClientResponse::body), TIMEOUT).toJsonObject();
    assertThat(list.getString("kind")).isEqualTo("EndpointSliceList");
    assertThat(list.getJsonArray("items")).hasSize(1);
    String version = list.getJsonObject("metadata").getString("resourceVersion");
    assertThat(version).isEqualTo(api.resourceVersion());

    BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
    HttpClientResponse watch = Await.result(client.request(options(PATH + "&watch=1&allowWatchBookmarks=true"
        + "&resourceVersion=" + version, "t0ken")).compose(r -> r.send()).map(response -> {
          response.handler(RecordParser.newDelimited("\n", line -> events.add(line.toJsonObject())));
          return response;
        }), TIMEOUT);
    assertThat(watch.statusCode()).isEqualTo(200);
    assertThat(watch.getHeader("Content-Type")).isEqualTo("application/json");
    api.put("shop", EndpointSlice.ipv4("orders-1", "orders").port("http", 80).ready("10.0.0.2").json());
    api.put("shop", EndpointSlice.ipv4("other-1", "other").port("http", 80).json());
    api.delete("shop", "orders-1");
    api.bookmark();
    JsonObject modified = next(events);
    assertThat(modified.getString("type")).isEqualTo("MODIFIED");
    assertThat(modified.getJsonObject("object").getJsonArray("endpoints")).hasSize(1);
    assertThat(next(events).getString("type")).as("other services' slices are not sent").isEqualTo("DELETED");
    JsonObject bookmark = next(events);
    assertThat(bookmark.getString("type")).isEqualTo("BOOKMARK");
    assertThat(bookmark.getJsonObject("object").getJsonObject("metadata").getString("resourceVersion"))
        .isEqualTo(api.resourceVersion());

    api.compact();
    JsonObject gone = next(events);
    assertThat(gone.getString("type")).isEqualTo("ERROR");
    assertThat(gone.getJsonObject("object").getInteger("code")).isEqualTo(410);
    Buffer again = Await.result(client.request(options(PATH + "&watch=1&resourceVersion=" + version, "t0ken"))
        .compose(r -> r.send()).compose(HttpClientResponse::body), TIMEOUT);
    assertThat(again.toString()).contains("\"type\":\"ERROR\"").contains("\"code\":410").contains("Expired");
  }

  private static JsonObject next(BlockingQueue<JsonObject> events) throws InterruptedException {
    JsonObject event = events.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertThat(event).as("an event").isNotNull();
    return event;
  }

  private static RequestOptions options(String uri, String token) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(api.url() + uri);
    if (token != null) {
      options.putHeader("Authorization", "Bearer " + token);
    }
    return options;
  }
}
