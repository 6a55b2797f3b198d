package io.tollgate.ingress;

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
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the gateway does with requests whose framing or target is malformed or ambiguous, seen from a raw socket
 * and from the upstream: every rejection is a problem+json answer, nothing rejected reaches the upstream, and
 * nothing can be smuggled past the gateway's own parser.
 */
@ExtendWith(BlockedThreadGuard.class)
class FramingIT {

  private static final String HOST = "127.0.0.1";
  private static final Duration WAIT = Duration.ofSeconds(5);
  /** How long a request the gateway wrongly forwarded would need to show up at the (loopback) upstream. */
  private static final Duration GRACE = Duration.ofMillis(200);
  private static final AtomicInteger IDS = new AtomicInteger();

  private static Vertx vertx;
  private static UpstreamPeer upstream;
  private static TestGateway gateway;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    upstream = UpstreamPeer.start(vertx);
    gateway = TestGateway.start("""
        listener:
          port: 0
        management:
          port: 0
        services:
          service1:
            targets: [ "${SERVICE1_URL}" ]
        routes:
          - id: service1
            path: /api/service1/**
            service: service1
            auth: public
            rewrite:
              prefix: /api
        """, Map.of("SERVICE1_URL", upstream.baseUrl()));
  }

  @AfterAll
  static void stop() {
    if (gateway != null) {
      gateway.close();
    }
    if (upstream != null) {
      upstream.close();
    }
    vertx.close().await();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Malformed requests: 400 problem+json, connection closed where the byte stream can't be trusted, nothing
  // forwarded.

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of("bad request line (no HTTP version)",
            "GET /api/service1/%s NOT-HTTP\r\nHost: x\r\n\r\n", "bad-request", true),
        Arguments.of("bad request line (garbage)",
            "THIS IS NOT HTTP /api/service1/%s\r\n\r\n", "bad-request", true),
        Arguments.of("header name with a space",
            "GET /api/service1/%s HTTP/1.1\r\nHost: x\r\nBad Header: v\r\n\r\n", "bad-request", true),
        Arguments.of("whitespace between header name and colon",
            "POST /api/service1/%s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\nContent-Length: 3\r\n\r\n"
                + "abc", "bad-request", true),
        Arguments.of("header line without a colon",
            "GET /api/service1/%s HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n", "bad-request", true),
        Arguments.of("header line starting with whitespace after the request line",
            "GET /api/service1/%s HTTP/1.1\r\n Host: x\r\n\r\n", "bad-request", true),
        Arguments.of("bare LF line ends",
            "GET /api/service1/%s HTTP/1.1\nHost: x\nContent-Length: 0\n\n", "bad-request", true),
        Arguments.of("request line with a bare CR",
            "GET /api/service1/%s\rx HTTP/1.1\r\nHost: x\r\n\r\n", "bad-request", true),
        Arguments.of("header name with a control character",
            "GET /api/service1/%s HTTP/1.1\r\nHost: x\r\nX-A\u0001b: v\r\n\r\n", "bad-request", true),
        Arguments.of("two differing Content-Length headers",
            "POST /api/service1/%s HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde",
            "bad-request", true),
        Arguments.of("Content-Length with two differing values in one line",
            "POST /api/service1/%s HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 5\r\n\r\nabcde",
            "bad-request", true),
        Arguments.of("non-numeric Content-Length",
            "POST /api/service1/%s HTTP/1.1\r\nHost: x\r\nContent-Length: 3x\r\n\r\nabc", "bad-request", true),
        Arguments.of("Transfer-Encoding: gzip, chunked",
            "POST /api/service1/%s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n", "ambiguous-framing", true),
        Arguments.of("Transfer-Encoding: xchunked",
            "POST /api/service1/%s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n", "ambiguous-framing", true),
        Arguments.of("Transfer-Encoding: chunked, then identity on a second line",
            "POST /api/service1/%s HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                + "Transfer-Encoding: identity\r\n\r\n5\r\nhello\r\n0\r\n\r\n", "ambiguous-framing", true),
        Arguments.of("HTTP/1.0 with Content-Length and Transfer-Encoding",
            "POST /api/service1/%s HTTP/1.0\r\nHost: x\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n", "ambiguous-framing", true),
        Arguments.of("HTTP/1.0 with Transfer-Encoding alone (RFC 9112 §6.1: faulty framing)",
            "POST /api/service1/%s HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n0\r\n\r\n", "ambiguous-framing", true),
        Arguments.of("invalid percent-encoding in the path",
            "GET /api/service1/%s/%%zz HTTP/1.1\r\nHost: x\r\n\r\n", "invalid-path", false),
        Arguments.of("truncated percent-encoding in the path",
            "GET /api/service1/%s/%%4 HTTP/1.1\r\nHost: x\r\n\r\n", "invalid-path", false),
        Arguments.of("encoded NUL in the path",
            "GET /api/service1/%s/a%%00b HTTP/1.1\r\nHost: x\r\n\r\n", "invalid-path", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedRequestsGet400ProblemAndNeverReachTheUpstream(String name, String template, String slug,
      boolean closes) throws IOException {
    String token = token();
    int before = upstream.requestCount();
    try (RawHttpClient client = RawHttpClient.connect(HOST, gateway.port())) {
      RawResponse response = client.send(template.formatted(token)).readResponse(WAIT);

      assertProblem(response, 400, slug);
      if (closes) {
        assertThat(response.header("Connection")).as("Connection header").isEqualToIgnoringCase("close");
        assertThat(client.isClosedByPeer(WAIT)).as("connection closed after %s", name).isTrue();
      }
    }
    assertNothingReachedUpstream(before, token);
  }

  @Test
  void aBadPathLeavesTheConnectionUsableBecauseItsFramingWasFine() throws IOException {
    String token = token();
    try (RawHttpClient client = RawHttpClient.connect(HOST, gateway.port())) {
      client.send("GET /api/service1/" + token + "/%zz HTTP/1.1\r\nHost: x\r\n\r\n"
          + "GET /api/service1/" + token + "/ok HTTP/1.1\r\nHost: x\r\n\r\n");
      RawResponse bad = client.readResponse(WAIT);
      RawResponse good = client.readResponse(WAIT);

      assertProblem(bad, 400, "invalid-path");
      assertThat(good.status()).isEqualTo(200);
    }
    assertThat(forwarded(token)).extracting(RecordedRequest::path).containsExactly("/api/" + token + "/ok");
  }

  /** RFC 9112 §5.2 lets a server replace obs-fold by SP instead of refusing it; no line break travels on. */
  @Test
  void obsoleteLineFoldingIsUnfoldedBeforeForwarding() throws IOException {
    String token = token();
    RawResponse response = RawHttpClient.exchange(HOST, gateway.port(),
        "GET /api/service1/" + token + " HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n  b\r\n\r\n");

    assertThat(response.status()).isEqualTo(200);
    RecordedRequest got = awaitForwarded(token, 1).get(0);
    assertThat(got.headers().getAll("X-Folded")).singleElement().asString().doesNotContain("\r", "\n")
        .startsWith("a").endsWith("b");
  }

  /**
   * An invalid chunk size is only found after the head was accepted and handed to the proxy, so there is no 400
   * here: Vert.x closes the connection on a body decoding error (the docs of {@code InvalidRequests} promise 400
   * for "broken chunking"; that holds only for errors in the head). What the client must see: no success, the
   * connection closed; and nothing forwarded.
   */
  @Test
  void invalidChunkSizeClosesTheConnectionAndNothingIsForwarded() throws IOException {
    String token = token();
    int before = upstream.requestCount();
    try (RawHttpClient client = RawHttpClient.connect(HOST, gateway.port())) {
      client.send("POST /api/service1/" + token + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "zz\r\nhello\r\n0\r\n\r\n");

      assertThat(readAllOrClosed(client)).noneMatch(r -> r.status() / 100 == 2);
      assertThat(client.isClosedByPeer(WAIT)).isTrue();
    }
    assertNothingReachedUpstream(before, token);
  }

  @Test
  void brokenChunkingAfterTheFirstChunkWasForwardedAbortsTheUpstreamRequest() throws Exception {
    String token = token();
    try (RawHttpClient client = RawHttpClient.connect(HOST, gateway.port())) {
      client.send("POST /api/service1/" + token + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "5\r\nhello\r\n");
      pause(GRACE); // lets the gateway connect and forward the head and the first chunk
      client.send("zz\r\nworld\r\n0\r\n\r\n");
      // The head was accepted and is being proxied: the client can't get a clean answer any more, but it must
      // not see a 200 for a body the gateway could not read.
      assertThat(readAllOrClosed(client)).noneMatch(r -> r.status() / 100 == 2);
    }
    List<RecordedRequest> seen = awaitForwarded(token, 1);
    assertThat(seen).singleElement().satisfies(r -> {
      assertThat(r.aborted()).as("upstream request aborted, never completed: %s", r).isTrue();
      assertThat(r.bodyAsString()).isEqualTo("hello");
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // Smuggling: Content-Length + Transfer-Encoding.

  /**
   * CL.TE: a Content-Length parser would read the whole payload as the first request's body; a chunked parser
   * ends the body at {@code 0\r\n\r\n} and sees a second request. Netty (the gateway's decoder) drops the
   * Content-Length and reads chunked (RFC 9112 §6.3), so the "hidden" request is parsed <em>by the gateway</em>:
   * it is routed like any other request (here: no route → 404 from the gateway) and never reaches the upstream
   * behind the gateway's back. The first request is forwarded re-framed as plain chunked, without the length.
   */
  @Test
  void clTeSmuggledRequestIsParsedByTheGatewayItselfAndNeverReachesTheUpstreamUnrouted() throws IOException {
    String token = token();
    String hidden = "GET /admin/" + token + " HTTP/1.1\r\nHost: x\r\nX-Request-Id: hidden-" + token
        + "\r\nConnection: close\r\n\r\n";
    String body = "0\r\n\r\n" + hidden;
    List<RawResponse> responses;
    try (RawHttpClient client = RawHttpClient.connect(HOST, gateway.port())) {
      client.send("POST /api/service1/" + token + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length()
          + "\r\nTransfer-Encoding: chunked\r\n\r\n" + body);
      responses = client.readResponses(WAIT);
    }

    assertThat(responses).hasSize(2);
    assertThat(responses.get(0).status()).isEqualTo(200);
    // The hidden request got its own answer from the gateway's router: it was never forwarded unrouted.
    assertProblem(responses.get(1), 404, "route-not-found");
    assertThat(responses.get(1).header("X-Request-Id")).isEqualTo("hidden-" + token);

    RecordedRequest first = awaitForwarded(token, 1).get(0);
    assertThat(first.path()).isEqualTo("/api/" + token);
    assertThat(first.bodyCompleted()).isTrue();
    assertThat(first.bodyBytes()).as("chunked wins: the body ends at the last-chunk").isZero();
    assertThat(first.header("Content-Length")).as("the length the gateway ignored is not forwarded").isNull();
    // An empty chunked body is forwarded as no body at all: nothing for the upstream to frame differently.
    assertThat(first.header("Transfer-Encoding")).isNull();
    assertThat(upstream.requests()).noneMatch(r -> r.uri().contains("/admin/"));
  }

  /**
   * TE.CL: a Content-Length parser would stop after 4 bytes and take the chunk's payload for a second request; a
   * chunked parser reads it as body. The gateway reads chunked and forwards it chunked, so the upstream sees the
   * smuggling attempt as exactly the body bytes the gateway saw, and only one request.
   */
  @Test
  void teClSmuggledRequestStaysBodyDataOnBothHops() throws IOException {
    String token = token();
    String hidden =
        "GET /api/service1/" + token + "-smuggled HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nx=1\r\n";
    String chunked = Integer.toHexString(hidden.length()) + "\r\n" + hidden + "\r\n0\r\n\r\n";
    List<RawResponse> responses;
    try (RawHttpClient client = RawHttpClient.connect(HOST, gateway.port())) {
      client.send("POST /api/service1/" + token + " HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
          + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunked);
      responses = client.readResponses(WAIT);
    }

    assertThat(responses).extracting(RawResponse::status).containsExactly(200);
    List<RecordedRequest> seen = awaitForwarded(token, 1);
    assertThat(seen).singleElement().satisfies(r -> {
      assertThat(r.path()).isEqualTo("/api/" + token);
      assertThat(r.bodyCompleted()).isTrue();
      assertThat(r.bodyAsString()).isEqualTo(hidden);
      assertThat(r.header("Content-Length")).isNull();
    });
    pause(GRACE);
    assertThat(upstream.requests()).noneMatch(r -> r.uri().contains("-smuggled"));
  }

  @Test
  void contentLengthAndObfuscatedTransferEncodingIsRefusedAndTheConnectionClosed() throws IOException {
    String token = token();
    int before = upstream.requestCount();
    String hidden = "GET /api/service1/" + token + "-smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
    String body = "0\r\n\r\n" + hidden;
    List<RawResponse> responses;
    try (RawHttpClient client = RawHttpClient.connect(HOST, gateway.port())) {
      client.send("POST /api/service1/" + token + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length()
          + "\r\nTransfer-Encoding: xchunked\r\n\r\n" + body);
      responses = client.readResponses(WAIT);
      assertThat(client.isClosedByPeer(WAIT)).isTrue();
    }
    assertThat(responses).hasSize(1);
    assertProblem(responses.get(0), 400, "ambiguous-framing");
    assertNothingReachedUpstream(before, token);
  }

  /**
   * {@code Transfer-Encoding} without {@code chunked} and no {@code Content-Length}: Netty sees a request without
   * a body, so the bytes behind the head look like a next, pipelined request to it. A front proxy that reads the
   * coding leniently as chunked (substring match) sees one request whose body holds the second one. The gateway
   * refuses the first with 400 and {@code Connection: close}; it must then not parse, answer or forward anything
   * behind it — else the hidden request reaches the upstream unseen by the front proxy, and the front proxy gets
   * one response more than it asked for.
   */
  @ParameterizedTest(name = "Transfer-Encoding: {0}")
  @ValueSource(strings = {"xchunked", "identity", "gzip", "chunked, gzip"})
  void bytesBehindARefusedTransferEncodingAreNeverParsedAsARequest(String coding) throws IOException {
    String token = token();
    int before = upstream.requestCount();
    String hidden = "GET /api/service1/" + token + "-smuggled HTTP/1.1\r\nHost: x\r\n\r\n";
    List<RawResponse> responses;
    boolean closed;
    try (RawHttpClient client = RawHttpClient.connect(HOST, gateway.port())) {
      client.send("POST /api/service1/" + token + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding
          + "\r\n\r\n" + Integer.toHexString(hidden.length()) + "\r\n" + hidden + "\r\n0\r\n\r\n");
      responses = readAllOrClosed(client);
      closed = client.isClosedByPeer(WAIT);
    }

    assertThat(responses).as("responses on the connection").hasSize(1);
    assertProblem(responses.get(0), 400, "ambiguous-framing");
    assertThat(responses.get(0).header("Connection")).isEqualToIgnoringCase("close");
    assertThat(closed).as("connection closed after the refusal").isTrue();
    assertNothingReachedUpstream(before, token);
  }

  /**
   * As above, with the hidden request right behind the head (a front proxy reading an unknown coding as "body until
   * the connection closes" takes it for body data): the gateway must not proxy it.
   */
  @ParameterizedTest(name = "Transfer-Encoding: {0}")
  @ValueSource(strings = {"xchunked", "identity", "gzip"})
  void aValidRequestBehindARefusedTransferEncodingNeverReachesTheUpstream(String coding) throws IOException {
    String token = token();
    int before = upstream.requestCount();
    List<RawResponse> responses;
    try (RawHttpClient client = RawHttpClient.connect(HOST, gateway.port())) {
      client.send("POST /api/service1/" + token + " HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: " + coding
          + "\r\n\r\n" + "GET /api/service1/" + token + "-smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
      responses = readAllOrClosed(client);
    }

    assertThat(responses).extracting(RawResponse::status).as("responses on the connection").containsExactly(400);
    assertNothingReachedUpstream(before, token);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Size limits of the request head.

  @Test
  void requestLineLongerThanTheLimitGets414AndTheConnectionIsClosed() throws IOException {
    String token = token();
    int before = upstream.requestCount();
    String longPath = "/api/service1/" + token + "/" + "a".repeat(5000);
    try (RawHttpClient client = RawHttpClient.connect(HOST, gateway.port())) {
      RawResponse response = client.send("GET " + longPath + " HTTP/1.1\r\nHost: x\r\n\r\n").readResponse(WAIT);

      assertProblem(response, 414, "uri-too-long");
      assertThat(client.isClosedByPeer(WAIT)).isTrue();
    }
    assertNothingReachedUpstream(before, token);
  }

  @Test
  void headersLargerThanTheLimitGet431AndTheConnectionIsClosed() throws IOException {
    String token = token();
    int before = upstream.requestCount();
    StringBuilder headers = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      headers.append("X-Filler-").append(i).append(": ").append("v".repeat(250)).append("\r\n");
    }
    try (RawHttpClient client = RawHttpClient.connect(HOST, gateway.port())) {
      RawResponse response = client.send("GET /api/service1/" + token + " HTTP/1.1\r\nHost: x\r\n" + headers
          + "\r\n").readResponse(WAIT);

      assertProblem(response, 431, "headers-too-large");
      assertThat(client.isClosedByPeer(WAIT)).isTrue();
    }
    assertNothingReachedUpstream(before, token);
  }

  @Test
  void oneHeaderLargerThanTheLimitGets431() throws IOException {
    String token = token();
    int before = upstream.requestCount();
    try (RawHttpClient client = RawHttpClient.connect(HOST, gateway.port())) {
      RawResponse response = client.send("GET /api/service1/" + token + " HTTP/1.1\r\nHost: x\r\nX-Big: "
          + "b".repeat(9000) + "\r\n\r\n").readResponse(WAIT);

      assertProblem(response, 431, "headers-too-large");
      assertThat(client.isClosedByPeer(WAIT)).isTrue();
    }
    assertNothingReachedUpstream(before, token);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Path normalisation: what is matched is what is forwarded.

  static Stream<Arguments> normalisedAndForwarded() {
    return Stream.of(
        Arguments.of("//api//service1//%s//orders", "/api/%s/orders"),
        Arguments.of("/api/service1/%s/.\\orders", "/api/%s/orders"),
        Arguments.of("/api/service1/%s\\orders", "/api/%s/orders"),
        Arguments.of("/api/service1/%s/x/../orders", "/api/%s/orders"),
        Arguments.of("/api/service1/%s/x/%%2E%%2e/orders", "/api/%s/orders"),
        Arguments.of("/api/service1/%s/./orders/.", "/api/%s/orders/"),
        Arguments.of("/api/service1/%%2e%%2e/service1/%s/orders", "/api/%s/orders"),
        // Decoded once only: %252e stays an escaped '%2e', never a dot segment.
        Arguments.of("/api/service1/%s/%%252e%%252e/orders", "/api/%s/%%252e%%252e/orders"),
        // Unreserved escapes decode, others are kept with upper-case hex.
        Arguments.of("/api/service1/%s/%%7Euser/a%%2bb", "/api/%s/~user/a%%2Bb"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("normalisedAndForwarded")
  void pathIsNormalisedBeforeMatchingAndTheNormalisedPathIsForwarded(String sent, String expected)
      throws IOException {
    String token = token();
    RawResponse response = RawHttpClient.exchange(HOST, gateway.port(),
        "GET " + sent.formatted(token) + "?q=1 HTTP/1.1\r\nHost: x\r\n\r\n");

    assertThat(response.status()).isEqualTo(200);
    RecordedRequest got = awaitForwarded(token, 1).get(0);
    assertThat(got.path()).isEqualTo(expected.formatted(token));
    assertThat(got.query()).isEqualTo("q=1");
  }

  static Stream<Arguments> escapingTheRoute() {
    return Stream.of(
        Arguments.of("/api/service1/../admin/%s", 404, "route-not-found"),
        Arguments.of("/api/service1/%%2e%%2e/admin/%s", 404, "route-not-found"),
        Arguments.of("/api/service1/%%2E%%2E/%%2e%%2E/admin/%s", 404, "route-not-found"),
        Arguments.of("/api/service1/.%%2e/admin/%s", 404, "route-not-found"),
        Arguments.of("/api/service1\\..\\admin/%s", 404, "route-not-found"),
        Arguments.of("/api/service1/../../../../admin/%s", 404, "route-not-found"),
        Arguments.of("/api/service1/..%%2Fadmin/%s", 400, "invalid-path"),
        Arguments.of("/api/service1/..%%2fadmin/%s", 400, "invalid-path"),
        Arguments.of("/api/service1/..%%5Cadmin/%s", 400, "invalid-path"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("escapingTheRoute")
  void dotSegmentsCannotEscapeTheRouteTowardsTheUpstream(String sent, int status, String slug) throws IOException {
    String token = token();
    int before = upstream.requestCount();
    RawResponse response = RawHttpClient.exchange(HOST, gateway.port(),
        "GET " + sent.formatted(token) + " HTTP/1.1\r\nHost: x\r\n\r\n");

    JsonObject problem = assertProblem(response, status, slug);
    if (status == 404) {
      // The detail names the resolved path: the dot segments were applied before matching.
      assertThat(problem.getString("detail")).doesNotContain("..").contains("/admin/" + token);
    }
    assertNothingReachedUpstream(before, token);
  }

  // ---------------------------------------------------------------------------------------------------------

  private static JsonObject assertProblem(RawResponse response, int status, String slug) {
    assertThat(response.status()).as("status of %s: %s", response, response.bodyAsString()).isEqualTo(status);
    return ProblemAssert.assertProblem(status, slug, response.header("Content-Type"),
        response.header("X-Request-Id"), response.bodyAsString());
  }

  /** A unique path segment, so a test finds its own requests among everything the shared upstream recorded. */
  private static String token() {
    return "t" + IDS.incrementAndGet() + "x" + Long.toHexString(System.nanoTime() & 0xffffff);
  }

  private static List<RecordedRequest> forwarded(String token) {
    return upstream.requests().stream().filter(r -> r.uri().contains(token)).toList();
  }

  private static List<RecordedRequest> awaitForwarded(String token, int count) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<RecordedRequest> seen = forwarded(token);
    while (seen.size() < count && System.nanoTime() < deadline) {
      pause(Duration.ofMillis(10));
      seen = forwarded(token);
    }
    assertThat(seen).as("requests for %s at the upstream", token).hasSize(count);
    return seen;
  }

  /** Gives a wrongly forwarded request time to arrive, then checks none did. */
  private static void assertNothingReachedUpstream(int countBefore, String token) {
    pause(GRACE);
    assertThat(forwarded(token)).as("requests for %s at the upstream", token).isEmpty();
    assertThat(upstream.requestCount()).as("requests recorded by the upstream").isEqualTo(countBefore);
  }

  /** Every response until the gateway closes or goes quiet; an abrupt close ends the list. */
  private static List<RawResponse> readAllOrClosed(RawHttpClient client) {
    try {
      return client.readResponses(Duration.ofSeconds(2));
    } catch (IOException closedMidResponse) {
      return List.of();
    }
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
