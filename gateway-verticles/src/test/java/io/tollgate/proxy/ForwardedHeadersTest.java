package io.tollgate.proxy;

import static io.tollgate.testing.FakeRequest.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ForwardedHeadersTest {

  private static final TrustedProxies LB = TrustedProxies.parse(List.of("10.0.0.0/8"));

  @ParameterizedTest
  @CsvSource(delimiter = '|', nullValues = "NULL", value = {
      "192.0.2.1   | http  | api.example       | for=192.0.2.1;proto=http;host=api.example",
      "192.0.2.1   | https | NULL              | for=192.0.2.1;proto=https",
      "::1         | http  | api.example       | for=\"[::1]\";proto=http;host=api.example",
      "2001:db8::7 | https | api.example:8443  | for=\"[2001:db8::7]\";proto=https;host=\"api.example:8443\"",
      "192.0.2.1   | http  | [::1]:8080        | for=192.0.2.1;proto=http;host=\"[::1]:8080\"",
      "unknown     | http  | a\"b\\c           | for=unknown;proto=http;host=\"a\\\"b\\\\c\""})
  void forwardedElementQuotesWhatIsNotAToken(String peer, String scheme, String host, String expected) {
    assertThat(ForwardedHeaders.forwardedElement(peer, scheme, host)).isEqualTo(expected);
  }

  @Test
  void untrustedPeerCannotSpoofAnything() {
    HttpServerRequest req = request().remote("203.0.113.5", 50000).local("0.0.0.0", 8080).scheme("http")
        .authority("api.example:8080")
        .header("X-Forwarded-For", "1.1.1.1").header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Host", "evil.example").header("X-Forwarded-Port", "443")
        .header("Forwarded", "for=1.1.1.1").build();

    MultiMap out = HttpHeaders.headers();
    ForwardedHeaders.apply(req, out, LB);

    assertThat(out.getAll("x-forwarded-for")).containsExactly("203.0.113.5");
    assertThat(out.get("x-forwarded-proto")).isEqualTo("http");
    assertThat(out.get("x-forwarded-host")).isEqualTo("api.example:8080");
    assertThat(out.get("x-forwarded-port")).isEqualTo("8080");
    assertThat(out.getAll("forwarded"))
        .containsExactly("for=203.0.113.5;proto=http;host=\"api.example:8080\"");
  }

  @Test
  void trustedPeerIsAppendedToTheChainAndTheOriginalFactsAreKept() {
    HttpServerRequest req = request().remote("10.1.2.3", 50000).local("0.0.0.0", 8080).scheme("http")
        .authority("internal.lb")
        .header("X-Forwarded-For", "198.51.100.1, 10.9.9.9").header("X-Forwarded-For", "10.8.8.8")
        .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "shop.example")
        .header("X-Forwarded-Port", "443").header("Forwarded", "for=198.51.100.1;proto=https").build();

    MultiMap out = HttpHeaders.headers();
    ForwardedHeaders.apply(req, out, LB);

    assertThat(out.getAll("x-forwarded-for")).containsExactly("198.51.100.1, 10.9.9.9, 10.8.8.8, 10.1.2.3");
    assertThat(out.get("x-forwarded-proto")).isEqualTo("https");
    assertThat(out.get("x-forwarded-host")).isEqualTo("shop.example");
    assertThat(out.get("x-forwarded-port")).isEqualTo("443");
    assertThat(out.getAll("forwarded"))
        .containsExactly("for=198.51.100.1;proto=https, for=10.1.2.3;proto=http;host=internal.lb");
  }

  @Test
  void trustedPeerWithoutForwardingHeadersGetsOurOwnFacts() {
    HttpServerRequest req = request().remote("::1", 50000).local("::", 8443).scheme("https").build();

    MultiMap out = HttpHeaders.headers();
    ForwardedHeaders.apply(req, out, TrustedProxies.parse(List.of("::1")));

    assertThat(out.get("x-forwarded-for")).isEqualTo(req.remoteAddress().hostAddress());
    assertThat(out.get("x-forwarded-proto")).isEqualTo("https");
    assertThat(out.contains("x-forwarded-host")).as("no authority, no host").isFalse();
    assertThat(out.get("x-forwarded-port")).isEqualTo("8443");
    assertThat(out.get("forwarded")).isEqualTo("for=\"[" + req.remoteAddress().hostAddress() + "]\";proto=https");
  }

  @Test
  void ownedNamesAreTheOnesApplyWrites() {
    MultiMap out = HttpHeaders.headers();
    ForwardedHeaders.apply(request().remote("192.0.2.1", 1).local("0.0.0.0", 80).authority("h").build(), out,
        TrustedProxies.NONE);

    assertThat(out.names()).map(String::toLowerCase).containsExactlyInAnyOrderElementsOf(ForwardedHeaders.NAMES);
  }
}
