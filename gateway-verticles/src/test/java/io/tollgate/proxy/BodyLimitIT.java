package io.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.ProblemAssert;
import io.tollgate.testing.TestGateway;
import io.tollgate.testkit.http.RawHttpClient;
import io.tollgate.testkit.http.RawResponse;
import io.tollgate.testkit.peers.RecordedRequest;
import io.tollgate.testkit.peers.UpstreamPeer;
import io.tollgate.testkit.vertx.BlockedThreadGuard;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The request-body cap of a route ({@code maxBodySize: 64KiB}), seen from a raw socket and from the upstream:
 * declared oversize bodies are refused before they are sent, oversize chunked bodies are cut off without the
 * upstream ever getting a complete request, bodies within the cap arrive byte for byte, and a client that goes
 * away mid-upload leaves no request and no connection behind at the upstream.
 */
@ExtendWith(BlockedThreadGuard.class)
class BodyLimitIT {

  private static final String HOST = "127.0.0.1";
  private static final int LIMIT = 64 * 1024;
  private static final Duration WAIT = Duration.ofSeconds(5);
  /** How long a request the gateway wrongly forwarded would need to show up at the (loopback) upstream. */
  private static final Duration GRACE = Duration.ofMillis(200);
  private static final AtomicInteger IDS = new AtomicInteger();

  private static Vertx vertx;
  /** Shared by the limit tests; they tell their requests apart by a token in the path. */
  private static UpstreamPeer upload;
  /** One upstream per disconnect test, so its connection count starts at zero. */
  private static UpstreamPeer abortSized;
  private static UpstreamPeer abortChunked;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upload = UpstreamPeer.start(vertx);
    abortSized = UpstreamPeer.start(vertx);
    abortChunked = UpstreamPeer.start(vertx);
    gateway = TestGateway.start("""
        listener:
          port: 0
        management:
          port: 0
        services:
          upload:
            targets: [ "${UPLOAD_URL}" ]
          abort-sized:
            targets: [ "${ABORT_SIZED_URL}" ]
          abort-chunked:
            targets: [ "${ABORT_CHUNKED_URL}" ]
        routes:
          - id: upload
            path: /upload/**
            service: upload
            maxBodySize: 64KiB
          - id: abort-sized
            path: /abort-sized/**
            service: abort-sized
            maxBodySize: 64KiB
          - id: abort-chunked
            path: /abort-chunked/**
            service: abort-chunked
            maxBodySize: 64KiB
        """, Map.of(
        "UPLOAD_URL", upload.baseUrl(),
        "ABORT_SIZED_URL", abortSized.baseUrl(),
        "ABORT_CHUNKED_URL", abortChunked.baseUrl()));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    for (UpstreamPeer peer : new UpstreamPeer[] {upload, abortSized, abortChunked}) {
      if (peer != null) {
        peer.close();
      }
    }
    vertx.close().await();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Declared length over the limit.

  @Test
  void declaredLengthOverTheLimitIsRefusedBeforeTheBodyIsInvited() throws IOException {
    String token = token();
    int before = upload.requestCount();
    try (RawHttpClient client = RawHttpClient.connect(HOST, gateway.port())) {
      client.send("PUT /upload/" + token + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + (LIMIT + 1)
          + "\r\nExpect: 100-continue\r\n\r\n");
      RawResponse first = client.readResponse(WAIT);

      // The final answer comes first: no "100 Continue" invites a body that would be refused anyway.
      JsonObject problem = assertProblem(first, 413, "body-too-large");
      assertThat(problem.getString("detail")).contains(String.valueOf(LIMIT)).contains("'upload'");
      assertThat(first.header("Connection")).isEqualToIgnoringCase("close");
      assertThat(client.isClosedByPeer(WAIT)).isTrue();
    }
    assertNothingReachedUpstream(upload, before, token);
  }

  /**
   * Without {@code Expect}, the client sends the body at once; the gateway answers 413 without reading it and
   * closes the connection, so the unread body — here bytes that look like a request — is never parsed as one.
   */
  @Test
  void afterA413TheUnreadBodyIsNeverParsedAsTheNextRequest() throws IOException {
    String token = token();
    int before = upload.requestCount();
    String lookalike = "GET /upload/" + token + "-smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
    List<RawResponse> responses;
    try (RawHttpClient client = RawHttpClient.connect(HOST, gateway.port())) {
      client.send("POST /upload/" + token + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + (2 * LIMIT) + "\r\n\r\n"
          + lookalike.repeat(3));
      responses = client.readResponses(WAIT);
      assertThat(client.isClosedByPeer(WAIT)).as("connection closed after the 413").isTrue();
    }

    assertThat(responses).as("responses on the connection").hasSize(1);
    assertProblem(responses.get(0), 413, "body-too-large");
    assertThat(responses.get(0).header("Connection")).isEqualToIgnoringCase("close");
    assertNothingReachedUpstream(upload, before, token);
  }

  /**
   * A client that sends its whole (too large) body before reading still gets the 413: the gateway discards the
   * rest of the body for a while instead of closing at once, which would make the kernel reset the connection
   * and destroy the answer in flight (lingering close, RFC 9112 §9.6).
   */
  @Test
  void a413ReachesAClientThatKeepsSendingItsBody() throws IOException {
    // Far more than loopback socket buffers hold, so the client is still writing when the 413 comes.
    byte[] body = bytes(16 << 20);
    try (RawHttpClient client = RawHttpClient.connect(HOST, gateway.port())) {
      client.send(concat(head("PUT", "/upload/" + token(), "Content-Length: " + body.length), body));
      assertProblem(client.readResponse(WAIT), 413, "body-too-large");
      assertThat(client.isClosedByPeer(WAIT)).as("connection closed once the body was discarded").isTrue();
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Chunked bodies: the length is only known as the bytes arrive.

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {LIMIT + 1, 2 * LIMIT})
  void chunkedBodyOverTheLimitGets413AndTheUpstreamNeverGetsACompleteRequest(int size) throws IOException {
    String token = token();
    byte[] body = bytes(size);
    RawResponse response;
    try (RawHttpClient client = RawHttpClient.connect(HOST, gateway.port())) {
      client.send(concat(head("POST", "/upload/" + token, "Transfer-Encoding: chunked"), chunked(body, 8 * 1024)));
      response = client.readResponse(WAIT);
      assertThat(client.isClosedByPeer(WAIT)).as("connection closed after the 413").isTrue();
    }

    assertProblem(response, 413, "body-too-large");
    assertThat(response.header("Connection")).isEqualToIgnoringCase("close");
    // The upstream got at most the bytes within the limit, and its request was cut off, never completed.
    pause(GRACE);
    List<RecordedRequest> seen = forwarded(upload, token);
    assertThat(seen).as("requests at the upstream").hasSizeLessThanOrEqualTo(1);
    for (RecordedRequest r : seen) {
      assertThat(r.aborted()).as("upstream request aborted: %s", r).isTrue();
      assertThat(r.bodyBytes()).isLessThanOrEqualTo(LIMIT);
      assertThat(r.body().getBytes()).as("what did arrive is the start of the body, unaltered")
          .isEqualTo(Arrays.copyOf(body, (int) r.bodyBytes()));
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, 10_000, LIMIT})
  void chunkedBodyWithinTheLimitIsForwardedByteForByte(int size) throws IOException {
    String token = token();
    byte[] body = bytes(size);
    RawResponse response = exchange(concat(head("POST", "/upload/" + token, "Transfer-Encoding: chunked"),
        chunked(body, 7_000)));

    assertThat(response.status()).isEqualTo(200);
    RecordedRequest got = awaitForwarded(upload, token);
    assertThat(got.bodyCompleted()).isTrue();
    assertThat(got.bodyBytes()).isEqualTo(size);
    assertThat(got.body().getBytes()).isEqualTo(body);
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {1, 10_000, LIMIT})
  void sizedBodyWithinTheLimitIsForwardedByteForByte(int size) throws IOException {
    String token = token();
    byte[] body = bytes(size);
    RawResponse response = exchange(concat(head("PUT", "/upload/" + token, "Content-Length: " + size), body));

    assertThat(response.status()).isEqualTo(200);
    RecordedRequest got = awaitForwarded(upload, token);
    assertThat(got.bodyCompleted()).isTrue();
    assertThat(got.header("Content-Length")).isEqualTo(String.valueOf(size));
    assertThat(got.body().getBytes()).isEqualTo(body);
  }

  @Test
  void sizedBodyWithinTheLimitIsInvitedWith100ContinueAndForwarded() throws IOException {
    String token = token();
    byte[] body = bytes(LIMIT);
    try (RawHttpClient client = RawHttpClient.connect(HOST, gateway.port())) {
      client.send(head("PUT", "/upload/" + token, "Content-Length: " + LIMIT + "\r\nExpect: 100-continue"));
      assertThat(client.readResponse(WAIT).status()).as("interim response").isEqualTo(100);
      client.send(body);
      assertThat(client.readResponse(WAIT).status()).isEqualTo(200);
    }
    RecordedRequest got = awaitForwarded(upload, token);
    assertThat(got.body().getBytes()).isEqualTo(body);
    assertThat(got.header("Expect")).as("the gateway answered the expectation itself").isNull();
  }

  // ---------------------------------------------------------------------------------------------------------
  // The client goes away mid-upload.

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sized", "chunked"})
  void clientLeavingMidUploadAbortsTheUpstreamRequestAndLeavesNoConnectionBehind(String framing)
      throws IOException {
    UpstreamPeer peer = framing.equals("sized") ? abortSized : abortChunked;
    String route = "/abort-" + framing + "/";
    assertThat(peer.openConnections()).as("upstream connections before").isZero();
    byte[] half = bytes(30_000);

    try (RawHttpClient client = RawHttpClient.connect(HOST, gateway.port())) {
      client.send(framing.equals("sized")
          ? concat(head("POST", route + "left", "Content-Length: 60000"), half)
          : concat(head("POST", route + "left", "Transfer-Encoding: chunked"), chunk(half)));
      peer.awaitOpenConnections(1, WAIT); // the gateway connected and is streaming the body
      pause(GRACE);
    } // closes the socket: the client is gone with half its body sent

    RecordedRequest cut = peer.takeRequest(WAIT);
    assertThat(cut.path()).isEqualTo(route + "left");
    assertThat(cut.aborted()).as("upstream request aborted, never completed: %s", cut).isTrue();
    assertThat(cut.bodyBytes()).isBetween(1L, (long) half.length);
    assertThat(cut.body().getBytes()).isEqualTo(Arrays.copyOf(half, (int) cut.bodyBytes()));
    // The upstream connection of the aborted request is closed, not returned to the pool half-used.
    peer.awaitOpenConnections(0, WAIT);

    // The service still works afterwards, and keeps exactly the one pooled connection it used.
    byte[] full = bytes(50_000);
    RawResponse ok = exchange(framing.equals("sized")
        ? concat(head("POST", route + "after", "Content-Length: " + full.length), full)
        : concat(head("POST", route + "after", "Transfer-Encoding: chunked"), chunked(full, 16_384)));
    assertThat(ok.status()).isEqualTo(200);
    RecordedRequest after = peer.takeRequest(WAIT);
    assertThat(after.path()).isEqualTo(route + "after");
    assertThat(after.body().getBytes()).isEqualTo(full);
    pause(GRACE);
    assertThat(peer.openConnections()).as("upstream connections afterwards").isEqualTo(1);
    assertThat(peer.requestCount()).isEqualTo(2);
  }

  // ---------------------------------------------------------------------------------------------------------

  private static JsonObject assertProblem(RawResponse response, int status, String slug) {
    assertThat(response.status()).as("status of %s: %s", response, response.bodyAsString()).isEqualTo(status);
    return ProblemAssert.assertProblem(status, slug, response.header("Content-Type"),
        response.header("X-Request-Id"), response.bodyAsString());
  }

  private static RawResponse exchange(byte[] request) throws IOException {
    try (RawHttpClient client = RawHttpClient.connect(HOST, gateway.port())) {
      return client.send(request).readResponse(WAIT);
    }
  }

  private static byte[] head(String method, String path, String framingHeaders) {
    return (method + " " + path + " HTTP/1.1\r\nHost: x\r\n" + framingHeaders + "\r\n\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  /** {@code body} in chunks of {@code chunkSize}, with the last-chunk. */
  private static byte[] chunked(byte[] body, int chunkSize) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int at = 0; at < body.length; at += chunkSize) {
      out.writeBytes(chunk(Arrays.copyOfRange(body, at, Math.min(body.length, at + chunkSize))));
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  /** One chunk, without the last-chunk. */
  private static byte[] chunk(byte[] data) {
    return concat((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1), data,
        "\r\n".getBytes(StandardCharsets.ISO_8859_1));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }

  /** {@code n} bytes of a non-repeating-looking pattern covering every byte value (CR, LF, NUL included). */
  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * 31 + (i >>> 8) * 7);
    }
    return b;
  }

  private static String token() {
    return "t" + IDS.incrementAndGet() + "x" + Long.toHexString(System.nanoTime() & 0xffffff);
  }

  private static List<RecordedRequest> forwarded(UpstreamPeer peer, String token) {
    return peer.requests().stream().filter(r -> r.uri().contains(token)).toList();
  }

  private static RecordedRequest awaitForwarded(UpstreamPeer peer, String token) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<RecordedRequest> seen = forwarded(peer, token);
    while (seen.isEmpty() && System.nanoTime() < deadline) {
      pause(Duration.ofMillis(10));
      seen = forwarded(peer, token);
    }
    assertThat(seen).as("requests for %s at the upstream", token).hasSize(1);
    return seen.get(0);
  }

  private static void assertNothingReachedUpstream(UpstreamPeer peer, int countBefore, String token) {
    pause(GRACE);
    assertThat(forwarded(peer, token)).as("requests for %s at the upstream", token).isEmpty();
    assertThat(peer.requestCount()).as("requests recorded by the upstream").isEqualTo(countBefore);
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
