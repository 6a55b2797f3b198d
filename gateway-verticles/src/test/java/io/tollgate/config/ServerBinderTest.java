package io.tollgate.config;

import static io.tollgate.config.TestConfigs.errors;
import static io.tollgate.config.TestConfigs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.config.ListenerConfig.EscapedSlashes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code listener:}, {@code management:} and {@code shutdown:}. */
class ServerBinderTest {

  private static final String HOST_RULE = "(expected an IP address or a host name, without port)";

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "port: -1               | listener.port: must be between 0 and 65535",
      "port: 65536            | listener.port: must be between 0 and 65535",
      "port: 99999999999999   | listener.port: must be between 0 and 65535",
      "instances: -1          | listener.instances: must not be negative",
      "host: 'not a host'     | listener.host: invalid address 'not a host' " + HOST_RULE,
      "host: '[::]'           | listener.host: invalid address '[::]' " + HOST_RULE,
      "maxHeaderSize: 0       | listener.maxHeaderSize: must be at least 1",
      "maxInitialLineLength: 2GiB | listener.maxInitialLineLength: must be at most 2147483647 bytes",
      "maxBodySize: -1        | listener.maxBodySize: must not be negative",
      "escapedSlashes: strict | listener.escapedSlashes: expected 'reject' or 'keep', got 'strict'"})
  void invalidValuesAreReported(String field, String error) {
    assertThat(errors("listener:\n  " + field + "\n")).containsExactly(error);
  }

  @Test
  void hostsMayBeAddressesOrNames() throws ConfigException {
    for (String host : List.of("::", "::1", "10.1.2.3", "localhost", "gateway-0.internal")) {
      assertThat(parse("listener: { host: '" + host + "' }").listener().host()).isEqualTo(host);
    }
  }

  @Test
  void escapedSlashesIsCaseInsensitive() throws ConfigException {
    assertThat(parse("listener: { escapedSlashes: KEEP }").listener().escapedSlashes())
        .isEqualTo(EscapedSlashes.KEEP);
    assertThat(parse("listener: { escapedSlashes: reject }").listener().escapedSlashes())
        .isEqualTo(EscapedSlashes.REJECT);
  }

  @Test
  void trustedProxiesAreNormalisedToCidrBlocks() throws ConfigException {
    assertThat(parse("listener: { trustedProxies: [192.168.0.0/16, 10.0.0.7, '2001:DB8::/32', '::ffff:10.0.0.1'] }")
        .listener().trustedProxies())
        .containsExactly("192.168.0.0/16", "10.0.0.7/32", "2001:db8::/32", "::ffff:10.0.0.1/128");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "10.0.0.0/33    | invalid prefix length in '10.0.0.0/33' (0 to 32)",
      "::/129         | invalid prefix length in '::/129' (0 to 128)",
      "10.0.0.1/8     | '10.0.0.1/8' has bits set after the /8 prefix: write the network address",
      "10.0.0.256     | invalid IP address or CIDR block '10.0.0.256'",
      "010.0.0.1      | invalid IP address or CIDR block '010.0.0.1'",
      "1:2:3:4:5:6:7:8:9 | invalid IP address or CIDR block '1:2:3:4:5:6:7:8:9'",
      "proxy.internal | invalid IP address or CIDR block 'proxy.internal'"})
  void trustedProxiesMustBeAddressesOrCidrBlocks(String proxy, String message) {
    assertThat(errors("listener: { trustedProxies: [127.0.0.1, '" + proxy + "'] }"))
        .containsExactly("listener.trustedProxies[1]: " + message);
  }

  @Test
  void managementMustNotShareTheListenersPort() {
    assertThat(errors("listener: { port: 9000 }\nmanagement: { port: 9000 }")).containsExactly(
        "management.port: conflicts with listener.port: both bind port 9000");
  }

  @Test
  void managementMayShareThePortOnAnotherAddressOrWhenDisabled() throws ConfigException {
    assertThat(parse("listener: { host: 10.0.0.1, port: 9000 }\nmanagement: { host: 127.0.0.1, port: 9000 }")
        .management()).isEqualTo(new ManagementConfig(true, "127.0.0.1", 9000, true));
    assertThat(parse("listener: { port: 9000 }\nmanagement: { enabled: false, port: 9000 }").management())
        .isEqualTo(new ManagementConfig(false, "127.0.0.1", 9000, true));
    assertThat(parse("listener: { port: 0 }\nmanagement: { port: 0 }").management().port()).isZero();
  }
}
