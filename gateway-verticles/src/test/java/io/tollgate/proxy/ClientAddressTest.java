package io.tollgate.proxy;

import static io.tollgate.testing.FakeRequest.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testing.FakeRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client IP a rate limit counts under: the peer, or what trusted proxies say about the client. */
class ClientAddressTest {

  private static final TrustedProxies LB = TrustedProxies.parse(List.of("10.0.0.0/8"));

  private static String of(FakeRequest request) {
    return ClientAddress.of(request.build(), LB);
  }

  @Test
  void anUntrustedPeerIsTheClientWhateverItForwards() {
    assertThat(of(request().remote("203.0.113.5", 50_000).header("X-Forwarded-For", "198.51.100.1")))
        .isEqualTo("203.0.113.5");
    assertThat(ClientAddress.of(request().remote("10.1.2.3", 50_000).header("X-Forwarded-For", "198.51.100.1")
        .build(), TrustedProxies.NONE)).as("no proxy is trusted").isEqualTo("10.1.2.3");
  }

  @Test
  void behindTrustedProxiesTheRightMostUntrustedHopIsTheClient() {
    assertThat(of(request().remote("10.1.2.3", 50_000).header("X-Forwarded-For", "198.51.100.1, 10.9.9.9")))
        .isEqualTo("198.51.100.1");
    assertThat(of(request().remote("10.1.2.3", 50_000)
        .header("X-Forwarded-For", "6.6.6.6, 198.51.100.1").header("X-Forwarded-For", "10.8.8.8")))
        .as("hops left of the first untrusted one were written by the client").isEqualTo("198.51.100.1");
    assertThat(of(request().remote("10.1.2.3", 50_000).header("X-Forwarded-For", " , 198.51.100.1 ,, ")))
        .isEqualTo("198.51.100.1");
  }

  @Test
  void whenEveryHopIsTrustedTheLeftMostIsTheClient() {
    assertThat(of(request().remote("10.1.2.3", 50_000).header("X-Forwarded-For", "10.0.0.7, 10.9.9.9")))
        .isEqualTo("10.0.0.7");
    assertThat(of(request().remote("10.1.2.3", 50_000))).as("nothing forwarded").isEqualTo("10.1.2.3");
  }

  @Test
  void hopsWithPortsOrBracketsAreTheBareAddressSoEverySourcePortIsOneClient() {
    assertThat(of(request().remote("10.1.2.3", 50_000).header("X-Forwarded-For", "198.51.100.1:51234")))
        .isEqualTo("198.51.100.1");
    assertThat(of(request().remote("10.1.2.3", 50_000).header("X-Forwarded-For", "[2001:db8::1]:443")))
        .isEqualTo("2001:db8::1");
    assertThat(of(request().remote("10.1.2.3", 50_000).header("X-Forwarded-For", "2001:db8::2")))
        .isEqualTo("2001:db8::2");
    assertThat(of(request().remote("10.1.2.3", 50_000).header("X-Forwarded-For", "198.51.100.1, 10.0.0.9:8080")))
        .as("a trusted hop with a port is still trusted").isEqualTo("198.51.100.1");
  }

  @Test
  void anIpv4MappedPeerIsTrustedLikeItsIpv4Address() {
    assertThat(of(request().remote("::ffff:10.1.2.3", 50_000).header("X-Forwarded-For", "198.51.100.1")))
        .isEqualTo("198.51.100.1");
  }

  @Test
  void anUnknownPeerIsUnknown() {
    assertThat(of(request().header("X-Forwarded-For", "198.51.100.1"))).isEqualTo("unknown");
  }
}
