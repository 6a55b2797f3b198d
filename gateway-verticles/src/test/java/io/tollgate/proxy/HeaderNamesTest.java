package io.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.HttpHeaders;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HeaderNamesTest {

  @Test
  void membersMatchInAnyCaseAndAsAnyCharSequence() {
    HeaderNames names = HeaderNames.of(List.of("X-Forwarded-For", "host"));

    assertThat(names.contains("x-forwarded-for")).isTrue();
    assertThat(names.contains("X-FORWARDED-FOR")).isTrue();
    assertThat(names.contains("Host")).isTrue();
    assertThat(names.contains(HttpHeaders.HOST)).isTrue();
    assertThat(names.names()).containsExactlyInAnyOrder("x-forwarded-for", "host");
  }

  @Test
  void nonMembersIncludingPrefixesAndNearMissesAreNot() {
    HeaderNames names = HeaderNames.of(List.of("te", "upgrade"));

    assertThat(names.contains("t")).isFalse();
    assertThat(names.contains("tex")).isFalse();
    assertThat(names.contains("upgrades")).isFalse();
    assertThat(names.contains("")).isFalse();
    assertThat(HeaderNames.of(Set.of()).contains("te")).isFalse();
  }

  @Test
  void manyNamesAllFoundAndOthersNot() {
    List<String> many = IntStream.range(0, 300).mapToObj(i -> "X-Name-" + i).toList();
    HeaderNames names = HeaderNames.of(many);

    assertThat(many).allMatch(n -> names.contains(n.toUpperCase()));
    assertThat(IntStream.range(300, 600).mapToObj(i -> "x-name-" + i)).noneMatch(names::contains);
  }

  @Test
  void withAddsToACopy() {
    HeaderNames base = HeaderNames.of(Set.of("a"));
    HeaderNames more = base.with(Set.of("B"));

    assertThat(more.contains("b")).isTrue();
    assertThat(more.contains("A")).isTrue();
    assertThat(base.contains("b")).isFalse();
  }
}
