package io.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HopByHopHeadersTest {

  @ParameterizedTest
  @ValueSource(strings = {"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
      "Proxy-Connection", "TE", "Trailer", "Transfer-Encoding", "Upgrade", "HTTP2-Settings"})
  void fixedHopByHopFieldsAreNeverCopied(String name) {
    MultiMap from = HttpHeaders.headers().add(name, "x").add("Accept", "*/*");

    assertThat(entries(copy(from, Set.of()))).containsExactly(Map.entry("Accept", "*/*"));
  }

  @Test
  void fieldsNamedInConnectionAreDropped() {
    MultiMap from = HttpHeaders.headers()
        .add("Connection", "keep-alive, X-Session")
        .add("X-Session", "abc")
        .add("X-Other", "kept");

    assertThat(entries(copy(from, Set.of()))).containsExactly(Map.entry("X-Other", "kept"));
  }

  @Test
  void connectionListsFromSeveralFieldsWithOddSpacingAndCaseAllCount() {
    MultiMap from = HttpHeaders.headers()
        .add("connection", "  x-ONE ,,x-two\t")
        .add("CONNECTION", ",X-Three ,")
        .add("X-One", "1").add("x-Two", "2").add("X-THREE", "3").add("X-Four", "4");

    assertThat(entries(copy(from, Set.of()))).containsExactly(Map.entry("X-Four", "4"));
    assertThat(HopByHopHeaders.connectionListed(from)).containsExactlyInAnyOrder("x-one", "x-two", "x-three");
  }

  @Test
  void connectionListedIsNullWithoutAConnectionField() {
    assertThat(HopByHopHeaders.connectionListed(HttpHeaders.headers().add("Accept", "*/*"))).isNull();
  }

  @Test
  void duplicatesOrderAndNameSpellingArePreservedAndAppendedToWhatIsThere() {
    MultiMap from = HttpHeaders.headers()
        .add("Via", "1.1 a").add("Accept", "text/html").add("via", "1.1 b").add("X-Custom", "v");
    MultiMap to = HttpHeaders.headers().add("Via", "1.0 existing");

    HopByHopHeaders.copyEndToEnd(from, to, HopByHopHeaders.notCopied(Set.of()));

    assertThat(entries(to)).containsExactly(
        Map.entry("Via", "1.0 existing"), Map.entry("Via", "1.1 a"), Map.entry("Accept", "text/html"),
        Map.entry("via", "1.1 b"), Map.entry("X-Custom", "v"));
  }

  @Test
  void skippedNamesAreLeftOutWhateverTheirCase() {
    MultiMap from = HttpHeaders.headers()
        .add("Host", "client.example").add("X-Forwarded-For", "1.2.3.4").add("Accept", "*/*");

    MultiMap to = copy(from, Set.of("host", "x-forwarded-for"));

    assertThat(entries(to)).containsExactly(Map.entry("Accept", "*/*"));
  }

  private static MultiMap copy(MultiMap from, Set<String> skip) {
    MultiMap to = HttpHeaders.headers();
    HopByHopHeaders.copyEndToEnd(from, to, HopByHopHeaders.notCopied(skip));
    return to;
  }

  private static java.util.List<Map.Entry<String, String>> entries(MultiMap headers) {
    return headers.entries().stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList();
  }
}
