package io.tollgate.auth.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.auth.jwt.JwsAlgorithm;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IssuerSourceTest {

  private static final Set<JwsAlgorithm> RS = Set.of(JwsAlgorithm.RS256);
  private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  @Test
  void discoveryDerivesTheIssuerFromTheWellKnownUrlUnlessOneIsConfigured() {
    IssuerSource derived = IssuerSource.discovery("corp", "https://idp.example/realms/x/.well-known/openid-configuration", RS);
    assertThat(derived.expectedIssuer()).isEqualTo("https://idp.example/realms/x");
    assertThat(derived.withIssuer("https://other").expectedIssuer()).isEqualTo("https://other");
    assertThat(derived.minRefresh()).isEqualTo(Duration.ofSeconds(30));
    assertThat(derived.maxRefresh()).isEqualTo(Duration.ofMinutes(10));
    assertThat(derived.unknownKidCooldown()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void exactlyOneSourceIsRequired() {
    assertThatThrownBy(() -> new IssuerSource("corp", null, null, "iss", RS, Duration.ofSeconds(1),
        Duration.ofSeconds(1), Duration.ZERO, null)).hasMessageContaining("exactly one");
    assertThatThrownBy(() -> new IssuerSource("corp", "https://a/.well-known/openid-configuration", "https://a/jwks",
        "iss", RS, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ZERO, null))
        .hasMessageContaining("exactly one");
  }

  @Test
  void anIssuerIsRequiredWhereNoUrlNamesIt() {
    assertThatThrownBy(() -> IssuerSource.jwks("corp", "https://idp/jwks", null, RS)).hasMessageContaining("issuer");
    assertThatThrownBy(() -> IssuerSource.discovery("corp", "https://idp/discovery?p=x", RS))
        .hasMessageContaining("issuer");
    assertThatThrownBy(() -> IssuerSource.hmac("internal", " ", SECRET)).hasMessageContaining("issuer");
  }

  @Test
  void algorithmsArePinnedAndHs256StaysOutOfJwks() {
    assertThatThrownBy(() -> IssuerSource.jwks("corp", "https://idp/jwks", "iss", Set.of()))
        .hasMessageContaining("at least one");
    assertThatThrownBy(() -> IssuerSource.jwks("corp", "https://idp/jwks", "iss",
        Set.of(JwsAlgorithm.RS256, JwsAlgorithm.HS256))).hasMessageContaining("HS256 needs a secret");
    assertThatThrownBy(() -> IssuerSource.hmac("internal", "iss", new byte[31])).hasMessageContaining("32 bytes");
  }

  @Test
  void refreshBoundsAreChecked() {
    IssuerSource base = IssuerSource.jwks("corp", "https://idp/jwks", "iss", RS);
    assertThatThrownBy(() -> base.withRefresh(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("minRefresh");
    assertThatThrownBy(() -> base.withRefresh(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("maxRefresh");
    assertThatThrownBy(() -> base.withUnknownKidCooldown(Duration.ofSeconds(-1))).hasMessageContaining("unknownKidCooldown");
    assertThatThrownBy(() -> IssuerSource.jwks("corp", "ftp://idp/jwks", "iss", RS)).hasMessageContaining("http(s)");
  }

  @Test
  void theSecretIsCopiedComparedByValueAndNeverPrinted() {
    byte[] secret = SECRET.clone();
    IssuerSource source = IssuerSource.hmac("internal", "iss", secret);
    secret[0] = 'X';
    assertThat(source.hmacSecret()).isEqualTo(SECRET);
    source.hmacSecret()[1] = 'Y';
    assertThat(source.hmacSecret()).isEqualTo(SECRET);
    assertThat(source).isEqualTo(IssuerSource.hmac("internal", "iss", SECRET.clone()))
        .hasSameHashCodeAs(IssuerSource.hmac("internal", "iss", SECRET.clone()));
    assertThat(source.toString()).contains("<32 bytes>").doesNotContain("0123456789abcdef");
  }
}
