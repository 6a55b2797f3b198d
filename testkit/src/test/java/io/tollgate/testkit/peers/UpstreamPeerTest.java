package io.tollgate.testkit.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.testkit.http.RawHttpClient;
import io.tollgate.testkit.http.RawResponse;
import io.tollgate.testkit.vertx.Await;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BlockedThreadGuard.class)
class UpstreamPeerTest {

  private static final Duration WAIT = Duration.ofSeconds(5);

  private Vertx vertx;
  private UpstreamPeer upstream;
  private TestHttp http;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx(BlockedThreadGuard.vertxOptions());
    upstream = UpstreamPeer.start(vertx);
    http = new TestHttp(vertx);
  }

  @AfterEach
  void stop() {
    http.close();
    upstream.close();
    Await.result(vertx.close(), WAIT);
  }

  @Test
  void recordsRequestLineHeadersAndBody() throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap()
        .add("X-Dup", "one").add("X-Other", "x").add("X-Dup", "two");

    http.send(HttpMethod.POST, upstream.port(), "/items/a%20b?b=2&a=1", headers, Buffer.buffer("hello"));

    RecordedRequest seen = upstream.takeRequest(WAIT);
    assertThat(seen.method()).isEqualTo("POST");
    assertThat(seen.uri()).isEqualTo("/items/a%20b?b=2&a=1");
    assertThat(seen.path()).isEqualTo("/items/a%20b");
    assertThat(seen.query()).isEqualTo("b=2&a=1");
    assertThat(seen.headers().getAll("x-dup")).containsExactly("one", "two");
    assertThat(seen.headers().names()).containsSubsequence("X-Dup", "X-Other");
    assertThat(seen.bodyAsString()).isEqualTo("hello");
    assertThat(seen.bodyBytes()).isEqualTo(5);
    assertThat(seen.bodySha256()).isEqualTo(sha256("hello".getBytes(StandardCharsets.UTF_8)));
    assertThat(seen.bodyCompleted()).isTrue();
    assertThat(seen.aborted()).isFalse();
    assertThat(seen.remoteAddress().host()).isEqualTo("127.0.0.1");
    assertThat(seen.connectionId()).isEqualTo(1);
    assertThat(upstream.requests()).containsExactly(seen);
    assertThat(upstream.requestCount()).isEqualTo(1);
  }

  @Test
  void answersWithTheProgrammedStatusHeadersAndBody() {
    upstream.respond(Behaviour.status(201).header("X-A", "1").header("X-A", "2").body("text"));

    TestHttp.Reply reply = http.get(upstream.port(), "/");

    assertThat(reply.status()).isEqualTo(201);
    assertThat(reply.headers().getAll("X-A")).containsExactly("1", "2");
    assertThat(reply.headers().get("Content-Length")).isEqualTo("4");
    assertThat(reply.bodyText()).isEqualTo("text");
  }

  @Test
  void longestMatchingPathPrefixWins() {
    upstream.respond(Behaviour.status(200))
        .respondTo("/api", Behaviour.status(202))
        .respondTo("/api/admin", Behaviour.status(403));

    assertThat(http.get(upstream.port(), "/api/admin/users").status()).isEqualTo(403);
    assertThat(http.get(upstream.port(), "/api/users").status()).isEqualTo(202);
    assertThat(http.get(upstream.port(), "/other").status()).isEqualTo(200);
  }

  @Test
  void streamsLargeDeterministicBodiesWithBackpressure() {
    long size = 32L << 20;
    upstream.respond(Behaviour.ok().streamBytes(size));

    StreamedBody received = Await.result(http.exchange(HttpMethod.GET, upstream.port(), "/big",
        MultiMap.caseInsensitiveMultiMap(), null, StreamedBody::read), Duration.ofSeconds(60));

    assertThat(received.contentLength).isEqualTo(Long.toString(size));
    assertThat(received.bytes).isEqualTo(size);
    assertThat(received.sha256).isEqualTo(DeterministicBytes.sha256(size));
  }

  @Test
  void keepsOnlyCountAndDigestOfLargeUploads() {
    int size = 3 << 20;
    Buffer upload = DeterministicBytes.slice(0, size);

    http.send(HttpMethod.PUT, upstream.port(), "/upload", MultiMap.caseInsensitiveMultiMap(), upload);

    RecordedRequest seen = upstream.takeRequest(WAIT);
    assertThat(seen.bodyBytes()).isEqualTo(size);
    assertThat(seen.bodySha256()).isEqualTo(DeterministicBytes.sha256(size));
    assertThatThrownBy(seen::body).isInstanceOf(IllegalStateException.class).hasMessageContaining("not kept");
  }

  @Test
  void closeMidBodyIsSeenByTheClientAsAFailedBody() {
    upstream.respond(Behaviour.ok().streamBytes(1 << 20).closeMidBody(100_000));
    AtomicReference<String> declaredLength = new AtomicReference<>();

    Future<Buffer> body = http.exchange(HttpMethod.GET, upstream.port(), "/cut",
        MultiMap.caseInsensitiveMultiMap(), null, response -> {
          declaredLength.set(response.getHeader("Content-Length"));
          return response.body();
        });

    assertThatThrownBy(() -> Await.result(body, WAIT)).isInstanceOf(HttpClosedException.class);
    assertThat(declaredLength.get()).isEqualTo(Integer.toString(1 << 20));
    upstream.awaitOpenConnections(0, WAIT);
  }

  @Test
  void resetBeforeHeadersFailsTheRequest() {
    upstream.respond(Behaviour.ok().resetBeforeHeaders());

    assertThatThrownBy(() -> http.get(upstream.port(), "/reset")).isNotInstanceOf(AssertionError.class);
    assertThat(upstream.takeRequest(WAIT).path()).isEqualTo("/reset");
  }

  @Test
  void countsConnectionsAndSeesKeepAliveReuse() {
    for (int i = 0; i < 3; i++) {
      assertThat(http.get(upstream.port(), "/" + i).status()).isEqualTo(200);
    }

    assertThat(upstream.totalConnections()).isEqualTo(1);
    assertThat(upstream.openConnections()).isEqualTo(1);
    assertThat(upstream.requests()).extracting(RecordedRequest::connectionId).containsOnly(1);

    http.close();
    upstream.awaitOpenConnections(0, WAIT);
    assertThat(upstream.totalConnections()).isEqualTo(1);
  }

  @Test
  void echoStreamsTheRequestBodyBack() {
    upstream.respond(Behaviour.ok().echo());
    Buffer upload = DeterministicBytes.slice(7, 2 << 20);
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/octet-stream");

    TestHttp.Reply reply = http.send(HttpMethod.POST, upstream.port(), "/echo", headers, upload);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.headers().get("Content-Type")).isEqualTo("application/octet-stream");
    assertThat(reply.headers().get("Content-Length")).isEqualTo(Integer.toString(2 << 20));
    assertThat(reply.body()).isEqualTo(upload);
  }

  @Test
  void echoJsonDescribesTheRequest() {
    upstream.respond(Behaviour.ok().echoJson());
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("X-Dup", "1").add("x-dup", "2");

    TestHttp.Reply reply = http.send(HttpMethod.PATCH, upstream.port(), "/things?id=7", headers,
        Buffer.buffer("abc"));

    JsonObject echoed = new JsonObject(reply.body());
    assertThat(reply.headers().get("Content-Type")).isEqualTo("application/json");
    assertThat(echoed.getString("method")).isEqualTo("PATCH");
    assertThat(echoed.getString("path")).isEqualTo("/things");
    assertThat(echoed.getString("query")).isEqualTo("id=7");
    assertThat(echoed.getJsonObject("headers").getJsonArray("x-dup")).containsExactly("1", "2");
    assertThat(echoed.getLong("bodyBytes")).isEqualTo(3);
  }

  @Test
  void delaysHeaders() {
    upstream.respond(Behaviour.ok().body("late").delayHeaders(Duration.ofMillis(300)));

    long start = System.nanoTime();
    TestHttp.Reply reply = http.get(upstream.port(), "/slow");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(reply.bodyText()).isEqualTo("late");
  }

  @Test
  void chunkedBodyWithDelayArrivesComplete() {
    upstream.respond(Behaviour.ok().streamBytes(200_000).chunked().delayBody(Duration.ofMillis(50)));

    TestHttp.Reply reply = http.get(upstream.port(), "/chunked");

    assertThat(reply.headers().get("Transfer-Encoding")).isEqualTo("chunked");
    assertThat(reply.body()).isEqualTo(DeterministicBytes.slice(0, 200_000));
  }

  @Test
  void recordsUploadsCutOffByTheClient() throws Exception {
    try (RawHttpClient client = RawHttpClient.connect("127.0.0.1", upstream.port())) {
      client.send("POST /up HTTP/1.1\r\nHost: upstream\r\nContent-Length: 100\r\n\r\n0123456789");
    }

    RecordedRequest seen = upstream.takeRequest(WAIT);
    assertThat(seen.aborted()).isTrue();
    assertThat(seen.bodyCompleted()).isFalse();
    assertThat(seen.abortReason()).isPresent();
    assertThat(seen.bodyBytes()).isEqualTo(10);
  }

  @Test
  void respondsBeforeTheBodyWhenAsked() throws Exception {
    upstream.respond(Behaviour.status(413).respondBeforeBody());

    try (RawHttpClient client = RawHttpClient.connect("127.0.0.1", upstream.port())) {
      client.send("POST /up HTTP/1.1\r\nHost: upstream\r\nContent-Length: 1000000\r\n\r\n");
      RawResponse early = client.readResponse(WAIT);
      assertThat(early.status()).isEqualTo(413);
    }
    assertThat(upstream.takeRequest(WAIT).aborted()).isTrue();
  }

  @Test
  void rejectsBehavioursThatCannotRun() {
    assertThatThrownBy(() -> upstream.respond(Behaviour.ok().body("short").closeMidBody(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("closeMidBody(5)");
    assertThatThrownBy(() -> upstream.respond(Behaviour.ok().echoJson().respondBeforeBody()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** Reads a response body chunk by chunk, keeping only its length and digest. */
  private static final class StreamedBody {
    private final MessageDigest digest = DeterministicBytes.newSha256();
    private String contentLength;
    private long bytes;
    private String sha256;

    static Future<StreamedBody> read(HttpClientResponse response) {
      StreamedBody body = new StreamedBody();
      body.contentLength = response.getHeader("Content-Length");
      Promise<StreamedBody> done = Promise.promise();
      response.handler(chunk -> {
        body.bytes += chunk.length();
        body.digest.update(chunk.getBytes());
      });
      response.exceptionHandler(done::tryFail);
      response.endHandler(v -> {
        body.sha256 = HexFormat.of().formatHex(body.digest.digest());
        done.tryComplete(body);
      });
      return done.future();
    }
  }
}
