package io.tollgate.testkit.peers;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {

  @Test
  void parsesFieldsCommentsAndMultiLineData() {
    SseParser parser = new SseParser();

    List<SseEvent> events = parser.feed(Buffer.buffer(
        ": a comment\nretry: 1500\nid: 7\nevent: price\ndata: one\ndata:two\nunknown: x\n\ndata: three\n\n"));

    assertThat(events).containsExactly(new SseEvent("7", "price", "one\ntwo"), new SseEvent("7", "message", "three"));
    assertThat(parser.retryMillis()).isEqualTo(1500);
    assertThat(parser.lastEventId()).isEqualTo("7");
  }

  @Test
  void acceptsCrLfAndBareCrLineEndsSplitAnywhere() {
    byte[] wire = "id: 1\r\ndata: a\r\n\r\nid: 2\rdata: b\r\r".getBytes(StandardCharsets.UTF_8);

    for (int split = 0; split <= wire.length; split++) {
      SseParser parser = new SseParser();
      List<SseEvent> events = new ArrayList<>(parser.feed(Buffer.buffer(Arrays.copyOfRange(wire, 0, split))));
      events.addAll(parser.feed(Buffer.buffer(Arrays.copyOfRange(wire, split, wire.length))));
      assertThat(events).as("split at %d", split)
          .containsExactly(new SseEvent("1", "message", "a"), new SseEvent("2", "message", "b"));
    }
  }

  @Test
  void decodesUtf8SplitInsideACharacter() {
    byte[] wire = "data: héllo\n\n".getBytes(StandardCharsets.UTF_8);
    SseParser parser = new SseParser();

    List<SseEvent> events = new ArrayList<>(parser.feed(Buffer.buffer(Arrays.copyOfRange(wire, 0, 8))));
    events.addAll(parser.feed(Buffer.buffer(Arrays.copyOfRange(wire, 8, wire.length))));

    assertThat(events).containsExactly(new SseEvent("", "message", "héllo"));
  }

  @Test
  void aBlockWithoutDataDispatchesNothing() {
    assertThat(new SseParser().feed(Buffer.buffer("event: ping\nid: 3\n\n"))).isEmpty();
  }
}
