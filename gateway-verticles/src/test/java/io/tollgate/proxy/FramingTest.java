package io.tollgate.proxy;

import static io.tollgate.testing.FakeRequest.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.pipeline.GatewayFailure;
import io.tollgate.problem.ProblemType;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FramingTest {

  @Test
  void absentContentLengthIsMinusOne() {
    assertThat(Framing.contentLength(request().build())).isEqualTo(-1);
  }

  @ParameterizedTest
  @CsvSource({"0, 0", "42, 42", "007, 7", "' 12 ', 12", "000000000000000000, 0",
      "999999999999999999, 999999999999999999"})
  void validContentLengthIsParsed(String value, long expected) {
    assertThat(Framing.contentLength(request().header("Content-Length", value).build())).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "1000000000000000000", "9223372036854775808", "-1", "+5", "4 2", "0x10", "1e3",
      "12a", "5,5", "٣"})
  void invalidContentLengthIsMinusTwo(String value) {
    assertThat(Framing.contentLength(request().header("Content-Length", value).build())).isEqualTo(-2);
  }

  @Test
  void repeatedContentLengthIsMinusTwoEvenWhenTheValuesAgree() {
    var req = request().header("Content-Length", "5").header("content-length", "5").build();

    assertThat(Framing.contentLength(req)).isEqualTo(-2);
  }

  @Test
  void checkRefusesAmbiguousFraming() {
    assertThat(Framing.check(request().header("Content-Length", "5").build())).isNull();
    assertThat(Framing.check(request().header("Transfer-Encoding", "Chunked").build())).isNull();

    assertAmbiguous(Framing.check(request().header("Content-Length", "5").header("Transfer-Encoding", "chunked")
        .version(HttpVersion.HTTP_1_0).build()));
    assertAmbiguous(Framing.check(request().header("Transfer-Encoding", "gzip, chunked").build()));
    assertAmbiguous(Framing.check(request().header("Transfer-Encoding", "chunked")
        .header("Transfer-Encoding", "chunked").build()));
    assertAmbiguous(Framing.check(request().header("Content-Length", "abc").build()));
    assertAmbiguous(Framing.check(request().header("Content-Length", "1").version(HttpVersion.HTTP_2)
        .header("Content-Length", "1").build()));
  }

  @ParameterizedTest
  @CsvSource({"GET, 200, true", "POST, 201, true", "GET, 205, true", "GET, 404, true", "GET, 500, true",
      "HEAD, 200, false", "HEAD, 404, false", "GET, 100, false", "GET, 101, false", "GET, 199, false",
      "GET, 204, false", "GET, 304, false", "DELETE, 204, false"})
  void responseMayHaveBody(String method, int status, boolean expected) {
    assertThat(Framing.responseMayHaveBody(HttpMethod.valueOf(method), status)).isEqualTo(expected);
  }

  private static void assertAmbiguous(GatewayFailure failure) {
    assertThat(failure).isNotNull();
    assertThat(failure.type()).isEqualTo(ProblemType.AMBIGUOUS_FRAMING);
  }
}
