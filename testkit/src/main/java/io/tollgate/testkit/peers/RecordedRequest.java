package io.tollgate.testkit.peers;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One request as an {@link UpstreamPeer} received it. Immutable apart from {@link #headers()}, which is the
 * caller's own copy.
 *
 * <p>Bodies up to {@value #MAX_KEPT_BODY_BYTES} bytes are kept; larger ones only as a byte count and SHA-256.
 */
public final class RecordedRequest {

  /** Bodies larger than this (1 MiB) are counted and hashed but not kept. */
  public static final int MAX_KEPT_BODY_BYTES = 1 << 20;

  private final String method;
  private final String uri;
  private final String path;
  private final String query;
  private final HttpVersion version;
  private final MultiMap headers;
  private final long bodyBytes;
  private final String bodySha256;
  private final Buffer keptBody;
  private final String abortReason;
  private final SocketAddress remoteAddress;
  private final int connectionId;

  private RecordedRequest(Builder b) {
    this.method = b.method;
    this.uri = b.uri;
    this.path = b.path;
    this.query = b.query;
    this.version = b.version;
    this.headers = b.headers;
    this.bodyBytes = b.bodyBytes;
    this.bodySha256 = b.bodySha256;
    this.keptBody = b.keptBody;
    this.abortReason = b.abortReason;
    this.remoteAddress = b.remoteAddress;
    this.connectionId = b.connectionId;
  }

  /** Method as sent, e.g. {@code GET}. */
  public String method() {
    return method;
  }

  /** The request target exactly as sent on the request line, e.g. {@code /a%20b?x=1&x=2}. */
  public String uri() {
    return uri;
  }

  /** Path part of {@link #uri()}, not decoded. */
  public String path() {
    return path;
  }

  /** Query part of {@link #uri()} without {@code ?}, not decoded; {@code null} when absent. */
  public String query() {
    return query;
  }

  public HttpVersion version() {
    return version;
  }

  /** A copy of the request headers, case-insensitive, keeping arrival order and repeated names. */
  public MultiMap headers() {
    return MultiMap.caseInsensitiveMultiMap().addAll(headers);
  }

  /** First value of a header, or {@code null}. */
  public String header(String name) {
    return headers.get(name);
  }

  /** Number of body bytes received, also when the body was aborted or not kept. */
  public long bodyBytes() {
    return bodyBytes;
  }

  /** Lower-case hex SHA-256 of the body bytes received. */
  public String bodySha256() {
    return bodySha256;
  }

  /**
   * The body received.
   *
   * @throws IllegalStateException when the body exceeded {@value #MAX_KEPT_BODY_BYTES} bytes and was not
   *     kept; use {@link #bodyBytes()} and {@link #bodySha256()}
   */
  public Buffer body() {
    if (keptBody == null) {
      throw new IllegalStateException("body of " + bodyBytes + " bytes was not kept (limit "
          + MAX_KEPT_BODY_BYTES + "); use bodyBytes() and bodySha256()");
    }
    return keptBody.copy();
  }

  /** The body decoded as UTF-8; same limits as {@link #body()}. */
  public String bodyAsString() {
    return body().toString(StandardCharsets.UTF_8);
  }

  /** {@code true} when the whole body arrived; always the opposite of {@link #aborted()}. */
  public boolean bodyCompleted() {
    return abortReason == null;
  }

  /** {@code true} when the connection closed or failed before the body was complete. */
  public boolean aborted() {
    return abortReason != null;
  }

  /** Why the body did not complete, when {@link #aborted()}. */
  public Optional<String> abortReason() {
    return Optional.ofNullable(abortReason);
  }

  public SocketAddress remoteAddress() {
    return remoteAddress;
  }

  /**
   * Ordinal (1, 2, …) of the TCP connection that carried the request, in the order the peer accepted them.
   * Equal ids mean the client reused a kept-alive connection.
   */
  public int connectionId() {
    return connectionId;
  }

  @Override
  public String toString() {
    return method + " " + uri + " " + version + " (conn " + connectionId + ", " + bodyBytes + " body bytes"
        + (aborted() ? ", aborted: " + abortReason : "") + ")";
  }

  static Builder builder() {
    return new Builder();
  }

  /** Assembles a request on the event loop that received it. */
  static final class Builder {
    private String method;
    private String uri;
    private String path;
    private String query;
    private HttpVersion version;
    private MultiMap headers;
    private long bodyBytes;
    private String bodySha256;
    private Buffer keptBody;
    private String abortReason;
    private SocketAddress remoteAddress;
    private int connectionId;

    Builder line(String method, String uri, String path, String query, HttpVersion version) {
      this.method = method;
      this.uri = uri;
      this.path = path;
      this.query = query;
      this.version = version;
      return this;
    }

    Builder headers(MultiMap headers) {
      this.headers = MultiMap.caseInsensitiveMultiMap().addAll(headers);
      return this;
    }

    Builder connection(SocketAddress remoteAddress, int connectionId) {
      this.remoteAddress = remoteAddress;
      this.connectionId = connectionId;
      return this;
    }

    Builder body(long bytes, String sha256, Buffer kept) {
      this.bodyBytes = bytes;
      this.bodySha256 = sha256;
      this.keptBody = kept;
      return this;
    }

    Builder abortReason(String reason) {
      this.abortReason = reason;
      return this;
    }

    RecordedRequest build() {
      return new RecordedRequest(this);
    }
  }
}
