package io.tollgate.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.SocketAddress;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A hand-written {@link HttpServerRequest} for unit tests of code that only reads request facts: headers,
 * version, scheme, authority, addresses, {@code isEnded}. Built on {@link Proxy}, so it needs no Vert.x instance;
 * any other abstract method throws {@link UnsupportedOperationException}, so a test notices when the code under
 * test starts depending on something the fake does not model.
 */
public final class FakeRequest {

  private final MultiMap headers = HttpHeaders.headers();
  private HttpVersion version = HttpVersion.HTTP_1_1;
  private String scheme = "http";
  private HostAndPort authority;
  private SocketAddress remoteAddress;
  private SocketAddress localAddress;
  private boolean ended;

  private FakeRequest() {
  }

  public static FakeRequest request() {
    return new FakeRequest();
  }

  /** Appends a header (repeat to send a field several times). */
  public FakeRequest header(CharSequence name, String value) {
    headers.add(name, value);
    return this;
  }

  public FakeRequest version(HttpVersion version) {
    this.version = version;
    return this;
  }

  public FakeRequest scheme(String scheme) {
    this.scheme = scheme;
    return this;
  }

  /** {@code authority} as Vert.x parses a Host header, e.g. {@code api.example:8443} or {@code [::1]:80}. */
  public FakeRequest authority(String authority) {
    this.authority = authority == null ? null : HostAndPort.parseAuthority(authority, -1);
    return this;
  }

  public FakeRequest remote(String host, int port) {
    this.remoteAddress = SocketAddress.inetSocketAddress(port, host);
    return this;
  }

  public FakeRequest local(String host, int port) {
    this.localAddress = SocketAddress.inetSocketAddress(port, host);
    return this;
  }

  public FakeRequest ended(boolean ended) {
    this.ended = ended;
    return this;
  }

  public HttpServerRequest build() {
    InvocationHandler handler = (proxy, method, args) -> switch (method.getParameterCount() == 0
        ? method.getName() : method.getName() + "/" + method.getParameterCount()) {
      case "headers" -> headers;
      case "version" -> version;
      case "scheme" -> scheme;
      case "authority" -> authority;
      case "remoteAddress" -> remoteAddress;
      case "localAddress" -> localAddress;
      case "isEnded" -> ended;
      case "toString" -> "FakeRequest" + headers.entries();
      case "hashCode" -> System.identityHashCode(proxy);
      case "equals/1" -> proxy == args[0];
      default -> unsupported(proxy, method, args);
    };
    return (HttpServerRequest) Proxy.newProxyInstance(
        HttpServerRequest.class.getClassLoader(), new Class<?>[] {HttpServerRequest.class}, handler);
  }

  private static Object unsupported(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.isDefault()) {
      return InvocationHandler.invokeDefault(proxy, method, args);
    }
    throw new UnsupportedOperationException("FakeRequest does not model " + method);
  }
}
