package io.tollgate.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.tollgate.pipeline.GatewayFailure;
import io.tollgate.problem.ProblemType;
import org.junit.jupiter.api.Test;

class InvalidRequestsTest {

  @Test
  void tooLongRequestLineIs414() {
    GatewayFailure failure = classify(new TooLongHttpLineException("An HTTP line is larger than 4096 bytes."));

    assertThat(failure.type()).isEqualTo(ProblemType.URI_TOO_LONG);
    assertThat(failure.status()).isEqualTo(414);
    assertThat(failure.detail()).isEqualTo("the request line is too long");
  }

  @Test
  void tooLargeHeadersAre431() {
    GatewayFailure failure = classify(new TooLongHttpHeaderException("HTTP header is larger than 8192 bytes."));

    assertThat(failure.type()).isEqualTo(ProblemType.HEADERS_TOO_LARGE);
    assertThat(failure.status()).isEqualTo(431);
    assertThat(failure.detail()).isEqualTo("the request headers are too large");
  }

  @Test
  void anythingElseIs400WithTheDecoderMessage() {
    GatewayFailure failure = classify(new IllegalArgumentException("invalid version format: HTTP/9"));

    assertThat(failure.type()).isEqualTo(ProblemType.BAD_REQUEST);
    assertThat(failure.status()).isEqualTo(400);
    assertThat(failure.detail()).isEqualTo("the request could not be parsed: invalid version format: HTTP/9");
  }

  @Test
  void withoutACauseOrMessageTheDetailIsGeneric() {
    assertThat(InvalidRequests.classify(null).detail()).isEqualTo("the request could not be parsed");
    assertThat(InvalidRequests.classify(DecoderResult.SUCCESS).detail()).isEqualTo("the request could not be parsed");
    assertThat(classify(new IllegalStateException()).detail()).isEqualTo("the request could not be parsed");
    assertThat(classify(new IllegalStateException()).status()).isEqualTo(400);
  }

  @Test
  void theMessageIsSanitisedToPrintableAsciiAndShortened() {
    String detail = classify(new IllegalArgumentException("bad\r\nX-Injected: 1\u0000caf\u00e9" + "z".repeat(500)))
        .detail();

    String prefix = "the request could not be parsed: ";
    assertThat(detail).startsWith(prefix + "bad??X-Injected: 1?caf?zzz");
    assertThat(detail).hasSize(prefix.length() + 120);
    assertThat(detail.chars()).allMatch(c -> c >= 0x20 && c < 0x7f);
  }

  private static GatewayFailure classify(Throwable cause) {
    return InvalidRequests.classify(DecoderResult.failure(cause));
  }
}
