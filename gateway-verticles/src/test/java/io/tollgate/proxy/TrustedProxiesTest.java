package io.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TrustedProxiesTest {

  @ParameterizedTest
  @CsvSource({
      "10.0.0.0/8,       10.0.0.1,        true",
      "10.0.0.0/8,       10.255.255.255,  true",
      "10.0.0.0/8,       11.0.0.0,        false",
      "10.0.0.0/8,       9.255.255.255,   false",
      "192.168.1.7,      192.168.1.7,     true",
      "192.168.1.7,      192.168.1.8,     false",
      "192.168.1.7/32,   192.168.1.7,     true",
      "0.0.0.0/0,        203.0.113.9,     true",
      "0.0.0.0/0,        ::1,             false",
      // /27: 192.0.2.32 .. 192.0.2.63
      "192.0.2.32/27,    192.0.2.32,      true",
      "192.0.2.32/27,    192.0.2.63,      true",
      "192.0.2.32/27,    192.0.2.31,      false",
      "192.0.2.32/27,    192.0.2.64,      false",
      "::1/128,          ::1,             true",
      "::1,              0:0:0:0:0:0:0:1, true",
      "::1,              ::2,             false",
      "fd00::/8,         fd12:3456::1,    true",
      "fd00::/8,         fe00::1,         false",
      "::/0,             2001:db8::1,     true",
      "::/0,             10.0.0.1,        false",
      // /121: the last byte's top bit is part of the network
      "2001:db8::/121,   2001:db8::7f,    true",
      "2001:db8::/121,   2001:db8::80,    false",
      "2001:db8::80/121, 2001:db8::ff,    true",
      // the peer of an IPv4 client on a dual-stack socket may be reported IPv4-mapped
      "10.0.0.0/8,       ::ffff:10.0.0.1, true",
      "10.0.0.0/8,       ::ffff:11.0.0.1, false",
      "::ffff:10.0.0.0/104, 10.0.0.1,     true",
      "::ffff:10.0.0.0/104, 11.0.0.1,     false",
      "::ffff:10.0.0.1,  10.0.0.1,        true"})
  void containsIsPrefixMembership(String cidr, String address, boolean expected) {
    assertThat(TrustedProxies.parse(List.of(cidr)).contains(address)).isEqualTo(expected);
  }

  @Test
  void anyBlockMatching() {
    TrustedProxies trusted = TrustedProxies.parse(List.of("10.0.0.0/8", " 192.168.0.0 / 16 ", "fd00::/8"));

    assertThat(trusted.isEmpty()).isFalse();
    assertThat(trusted.contains("192.168.3.4")).isTrue();
    assertThat(trusted.contains("fdff::1")).isTrue();
    assertThat(trusted.contains("172.16.0.1")).isFalse();
    assertThat(trusted.contains(null)).isFalse();
  }

  @Test
  void noBlocksTrustNobody() {
    assertThat(TrustedProxies.parse(List.of())).isSameAs(TrustedProxies.NONE);
    assertThat(TrustedProxies.NONE.isEmpty()).isTrue();
    assertThat(TrustedProxies.NONE.contains("127.0.0.1")).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "unknown", "localhost", "cafe.example", "deadbeef", "1.example", "999.1.1.1",
      "10.0.0", "10.0.0.1.2", "[10.0.0.1]"})
  void whatIsNotAnAddressLiteralIsNotTrusted(String address) {
    TrustedProxies everyone = TrustedProxies.parse(List.of("0.0.0.0/0", "::/0"));

    assertThat(everyone.contains(address)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/8", "cafe.example", "deadbeef/8", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/",
      "10.0.0.0/x", "::1/129", "::ffff:10.0.0.0/95", "10.0.0.0.0/8", "300.0.0.0/8", "fe80::1::2"})
  void badSyntaxThrows(String cidr) {
    assertThatIllegalArgumentException().isThrownBy(() -> TrustedProxies.parse(List.of(cidr)));
  }
}
