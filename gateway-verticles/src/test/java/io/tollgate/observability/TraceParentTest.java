package io.tollgate.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The head-sampling decision reads W3C {@code traceparent} (Trace Context level 1, §3.2) without the SDK. */
class TraceParentTest {

  @ParameterizedTest
  @CsvSource({
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01, 1",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00, 0",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-03, 1",   // other flag bits are ignored
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-02, 0",
      "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-later, 1", // a future version: read as 00
      "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01, 1",
  })
  void validHeadersGiveTheirSampledFlag(String header, int flag) {
    assertThat(TraceParent.sampledFlag(header)).isEqualTo(flag);
  }

  @ParameterizedTest
  @CsvSource({
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",   // zero trace id
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",   // zero span id
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",   // upper case
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",   // forbidden version
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x", // version 00 has exactly four fields
      "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",
      "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-0g",
      "garbage",
  })
  void invalidHeadersStartANewTrace(String header) {
    assertThat(TraceParent.sampledFlag(header)).isEqualTo(-1);
  }

  @Test
  void freshUnsampledTraceparentsAreValidUnsampledAndDistinct() {
    Set<String> traces = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String header = TraceParent.unsampled();
      assertThat(header).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-00");
      assertThat(TraceParent.sampledFlag(header)).isZero();
      traces.add(header.substring(3, 35));
    }
    assertThat(traces).hasSize(1000);
  }
}
