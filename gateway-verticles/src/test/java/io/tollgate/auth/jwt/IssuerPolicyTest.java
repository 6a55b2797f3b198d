package io.tollgate.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IssuerPolicyTest {

  private static final Set<JwsAlgorithm> RS = EnumSet.of(JwsAlgorithm.RS256);

  @Test
  void defaultsAreThirtySecondsLeewayAnd8KiBTokensAndExpIsAlwaysRequired() {
    IssuerPolicy policy = IssuerPolicy.of("https://idp.example", null, RS);

    assertThat(policy.leeway()).isEqualTo(Duration.ofSeconds(30));
    assertThat(policy.maxTokenBytes()).isEqualTo(8192);
    assertThat(policy.audiences()).isEmpty();
    assertThat(policy.requireExp()).isTrue();
  }

  @Test
  void setsAreCopiedSoLaterChangesToTheCallersSetsDoNotLeakIn() {
    Set<String> audiences = new HashSet<>(Set.of("a"));
    Set<JwsAlgorithm> algorithms = EnumSet.of(JwsAlgorithm.RS256);
    IssuerPolicy policy = IssuerPolicy.of("https://idp.example", audiences, algorithms);

    audiences.add("b");
    algorithms.add(JwsAlgorithm.HS256);

    assertThat(policy.audiences()).containsExactly("a");
    assertThat(policy.algorithms()).containsExactly(JwsAlgorithm.RS256);
    assertThat(policy.algorithms()).isUnmodifiable();
  }

  @Test
  void invalidSettingsFailAtConfigLoad() {
    assertThatThrownBy(() -> IssuerPolicy.of("", Set.of(), RS)).hasMessageContaining("issuer");
    assertThatThrownBy(() -> IssuerPolicy.of("https://idp.example", Set.of(), Set.of()))
        .hasMessageContaining("at least one algorithm");
    assertThatThrownBy(() -> IssuerPolicy.of("https://idp.example", Set.of(""), RS))
        .hasMessageContaining("audience");
    IssuerPolicy policy = IssuerPolicy.of("https://idp.example", Set.of(), RS);
    assertThatThrownBy(() -> policy.withLeeway(Duration.ofSeconds(-1))).hasMessageContaining("leeway");
    assertThatThrownBy(() -> policy.withLeeway(Duration.ofMinutes(6))).hasMessageContaining("leeway");
    assertThatThrownBy(() -> policy.withMaxTokenBytes(0)).hasMessageContaining("maxTokenBytes");
  }
}
