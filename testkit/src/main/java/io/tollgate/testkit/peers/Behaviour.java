package io.tollgate.testkit.peers;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How an {@link UpstreamPeer} answers a request. Immutable and thread-safe: every method returns a new
 * behaviour, so one value can be shared between peers and tests.
 *
 * <p>Start from {@link #ok()} or {@link #status(int)} and chain:
 * <pre>{@code
 * Behaviour.status(201).header("X-A", "1").body("text")
 * Behaviour.ok().streamBytes(200L << 20).chunked()
 * Behaviour.ok().body("partial...").closeMidBody(4)
 * }</pre>
 *
 * <p>The peer runs a behaviour in this order: read the whole request body (unless
 * {@link #respondBeforeBody()}), wait {@link #delayHeaders}, then either close the connection
 * ({@link #resetBeforeHeaders()}) or send status and headers, wait {@link #delayBody}, and send the body —
 * or only its first bytes before closing ({@link #closeMidBody}).
 *
 * <p>Defaults: status 200, no extra headers, empty body framed with {@code Content-Length}, no delays.
 * Garbage responses and TCP resets need raw socket access: see {@link RawPeer}.
 */
public final class Behaviour {

  enum Fault { NONE, RESET_BEFORE_HEADERS, CLOSE_MID_BODY }

  private final int status;
  private final List<Map.Entry<String, String>> headers;
  private final ResponseBody body;
  private final boolean chunked;
  private final Duration headersDelay;
  private final Duration bodyDelay;
  private final Fault fault;
  private final long closeAfterBytes;
  private final boolean awaitRequestBody;

  private Behaviour(Draft draft) {
    this.status = draft.status;
    this.headers = List.copyOf(draft.headers);
    this.body = draft.body;
    this.chunked = draft.chunked;
    this.headersDelay = draft.headersDelay;
    this.bodyDelay = draft.bodyDelay;
    this.fault = draft.fault;
    this.closeAfterBytes = draft.closeAfterBytes;
    this.awaitRequestBody = draft.awaitRequestBody;
  }

  /** Status 200 with an empty body. */
  public static Behaviour ok() {
    return new Behaviour(new Draft());
  }

  /** The given status with an empty body; {@code status} must be in 100..599. */
  public static Behaviour status(int status) {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("HTTP status must be in 100..599: " + status);
    }
    return ok().edit(d -> d.status = status);
  }

  /** Adds a response header; repeated names are sent as repeated header lines, in call order. */
  public Behaviour header(String name, String value) {
    Objects.requireNonNull(value, "value");
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("header name must not be blank");
    }
    return edit(d -> d.headers.add(Map.entry(name, value)));
  }

  /** A fixed UTF-8 body. A {@code Content-Length} header set with {@link #header} overrides the computed one. */
  public Behaviour body(String text) {
    return body(Buffer.buffer(text, StandardCharsets.UTF_8.name()));
  }

  /** A fixed body; the bytes are copied. */
  public Behaviour body(byte[] bytes) {
    return body(Buffer.buffer(bytes));
  }

  /** A fixed body; the buffer is copied. */
  public Behaviour body(Buffer content) {
    return edit(d -> d.body = new ResponseBody.Fixed(content));
  }

  /**
   * A body of {@code length} bytes of {@link DeterministicBytes}, written in 64 KiB chunks only when the
   * connection can take them, so a 200 MB download costs no heap. Verify it with
   * {@link DeterministicBytes#sha256(long)}.
   */
  public Behaviour streamBytes(long length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0: " + length);
    }
    return edit(d -> d.body = new ResponseBody.Generated(length));
  }

  /**
   * Echoes the request body back as it arrives, with backpressure. The response copies the request's
   * {@code Content-Type} and, unless {@link #chunked()}, its {@code Content-Length}; without one it is chunked.
   * The response starts before the request body ends, so {@link #respondBeforeBody()} is implied.
   */
  public Behaviour echo() {
    return edit(d -> d.body = new ResponseBody.Echo());
  }

  /**
   * Answers with {@code application/json} describing the request: {@code method}, {@code uri}, {@code path},
   * {@code query}, {@code headers} (lower-cased name to array of values, in arrival order), {@code bodyBytes}
   * and {@code bodySha256}. Needs the whole request body, so it cannot be combined with
   * {@link #respondBeforeBody()}.
   */
  public Behaviour echoJson() {
    return edit(d -> d.body = new ResponseBody.EchoJson());
  }

  /** Frames the body with {@code Transfer-Encoding: chunked} instead of {@code Content-Length}. */
  public Behaviour chunked() {
    return edit(d -> d.chunked = true);
  }

  /** Waits this long before sending status and headers (or before {@link #resetBeforeHeaders()}). */
  public Behaviour delayHeaders(Duration delay) {
    return edit(d -> d.headersDelay = nonNegative(delay));
  }

  /** Waits this long between sending the headers and the first body byte. */
  public Behaviour delayBody(Duration delay) {
    return edit(d -> d.bodyDelay = nonNegative(delay));
  }

  /**
   * Closes the TCP connection (FIN) instead of answering, after the usual wait for the request body and
   * {@link #delayHeaders}. For a TCP RST use {@link RawBehaviour#reset()}.
   */
  public Behaviour resetBeforeHeaders() {
    return edit(d -> {
      d.fault = Fault.RESET_BEFORE_HEADERS;
      d.closeAfterBytes = -1;
    });
  }

  /**
   * Sends the headers with the full body length in {@code Content-Length} (or chunked framing), writes only
   * the first {@code afterBytes} bytes of the body, then closes the connection. Needs a {@link #body} or
   * {@link #streamBytes} longer than {@code afterBytes}; {@link UpstreamPeer#respond} checks that.
   */
  public Behaviour closeMidBody(long afterBytes) {
    if (afterBytes < 0) {
      throw new IllegalArgumentException("afterBytes must be >= 0: " + afterBytes);
    }
    return edit(d -> {
      d.fault = Fault.CLOSE_MID_BODY;
      d.closeAfterBytes = afterBytes;
    });
  }

  /** Responds only after the whole request body arrived (counted and hashed). This is the default. */
  public Behaviour awaitBodyThen() {
    return edit(d -> d.awaitRequestBody = true);
  }

  /**
   * Responds as soon as the request headers arrive, while the request body is still being read and recorded
   * — like a server that rejects an upload early.
   */
  public Behaviour respondBeforeBody() {
    return edit(d -> d.awaitRequestBody = false);
  }

  /** Rejects combinations that cannot be run; called by the peer when the behaviour is installed. */
  void validate() {
    if (body instanceof ResponseBody.EchoJson && !awaitRequestBody) {
      throw new IllegalArgumentException("echoJson() needs the request body: drop respondBeforeBody()");
    }
    if (fault != Fault.CLOSE_MID_BODY) {
      return;
    }
    if (!(body instanceof ResponseBody.ChunkSource source) || source.length() <= closeAfterBytes) {
      throw new IllegalArgumentException("closeMidBody(" + closeAfterBytes
          + ") needs a body(..) or streamBytes(..) longer than " + closeAfterBytes + " bytes");
    }
  }

  int statusCode() {
    return status;
  }

  List<Map.Entry<String, String>> headers() {
    return headers;
  }

  ResponseBody responseBody() {
    return body;
  }

  boolean isChunked() {
    return chunked;
  }

  Duration headersDelay() {
    return headersDelay;
  }

  Duration bodyDelay() {
    return bodyDelay;
  }

  Fault fault() {
    return fault;
  }

  long closeAfterBytes() {
    return closeAfterBytes;
  }

  boolean awaitsRequestBody() {
    return awaitRequestBody && !(body instanceof ResponseBody.Echo);
  }

  @Override
  public String toString() {
    return "Behaviour[status=" + status + ", headers=" + headers + ", body=" + body + ", chunked=" + chunked
        + ", headersDelay=" + headersDelay + ", bodyDelay=" + bodyDelay + ", fault=" + fault
        + (fault == Fault.CLOSE_MID_BODY ? "(" + closeAfterBytes + ")" : "")
        + ", awaitRequestBody=" + awaitRequestBody + "]";
  }

  private Behaviour edit(Consumer<Draft> change) {
    Draft draft = new Draft(this);
    change.accept(draft);
    return new Behaviour(draft);
  }

  private static Duration nonNegative(Duration delay) {
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative: " + delay);
    }
    return delay;
  }

  /** Mutable scratch copy used only inside {@link #edit}. */
  private static final class Draft {
    private int status = 200;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private ResponseBody body = new ResponseBody.Fixed(Buffer.buffer());
    private boolean chunked;
    private Duration headersDelay = Duration.ZERO;
    private Duration bodyDelay = Duration.ZERO;
    private Fault fault = Fault.NONE;
    private long closeAfterBytes = -1;
    private boolean awaitRequestBody = true;

    private Draft() {}

    private Draft(Behaviour from) {
      status = from.status;
      headers.addAll(from.headers);
      body = from.body;
      chunked = from.chunked;
      headersDelay = from.headersDelay;
      bodyDelay = from.bodyDelay;
      fault = from.fault;
      closeAfterBytes = from.closeAfterBytes;
      awaitRequestBody = from.awaitRequestBody;
    }
  }
}
