package io.tollgate.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QueryTextTest {

  @Test
  void aParameterIsRemovedWhereverItIsAndOtherParametersKeepTheirOrderAndEncoding() {
    assertThat(QueryText.withoutParameter("/a?access_token=x", "access_token")).isEqualTo("/a");
    assertThat(QueryText.withoutParameter("/a?b=1&access_token=x&c=%20", "access_token")).isEqualTo("/a?b=1&c=%20");
    assertThat(QueryText.withoutParameter("/a?access%5Ftoken=x&access_token=y&d", "access_token"))
        .as("encoded names and repeats are removed too").isEqualTo("/a?d");
    assertThat(QueryText.withoutParameter("/a?b=1", null)).isEqualTo("/a?b=1");
    assertThat(QueryText.withoutParameter("/a", "access_token")).isEqualTo("/a");
  }

  @Test
  void componentsArePercentDecodedAndMalformedOnesKeptAsWritten() {
    assertThat(QueryText.decode("a%2Bb+c")).isEqualTo("a+b c");
    assertThat(QueryText.decode("bad%zz")).isEqualTo("bad%zz");
  }
}
