package io.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LimitedBodyTest {

  private final FakeSource source = new FakeSource();
  private final List<String> forwarded = new ArrayList<>();
  private final List<Throwable> failures = new ArrayList<>();

  private LimitedBody body;

  @BeforeEach
  void wire() {
    body = new LimitedBody(source, 10);
    body.exceptionHandler(failures::add);
    body.handler(chunk -> forwarded.add(chunk.toString()));
  }

  @Test
  void chunksUpToExactlyTheLimitPassThrough() {
    source.emit("abcd");
    source.emit("efghij");

    assertThat(forwarded).containsExactly("abcd", "efghij");
    assertThat(failures).isEmpty();
    assertThat(source.pauses).isZero();
  }

  @Test
  void theChunkThatCrossesTheLimitFailsTheBodyAndIsNotForwarded() {
    source.emit("abcdefghij");
    source.emit("k");

    assertThat(forwarded).containsExactly("abcdefghij");
    assertThat(failures).hasSize(1);
    assertThat(failures.get(0))
        .isInstanceOf(BodyTooLargeException.class)
        .hasMessage("request body exceeds 10 bytes");
    assertThat(source.pauses).isEqualTo(1);
  }

  @Test
  void afterFailingNothingMoreIsForwardedOrReportedAndTheSourceStaysPaused() {
    source.emit("abcdefghijklmnop");
    source.emit("q");
    body.resume();
    body.fetch(5);

    assertThat(forwarded).isEmpty();
    assertThat(failures).hasSize(1);
    assertThat(source.resumes).isZero();
    assertThat(source.fetched).isZero();
  }

  @Test
  void flowControlAndEndPassThroughWhileWithinTheLimit() {
    List<String> events = new ArrayList<>();
    body.endHandler(v -> events.add("end"));

    body.pause();
    body.resume();
    body.fetch(3);
    source.emit("abc");
    source.end();

    assertThat(source.pauses).isEqualTo(1);
    assertThat(source.resumes).isEqualTo(1);
    assertThat(source.fetched).isEqualTo(3);
    assertThat(forwarded).containsExactly("abc");
    assertThat(events).containsExactly("end");
  }

  @Test
  void sourceErrorsReachTheExceptionHandlerAndANullHandlerDetaches() {
    RuntimeException reset = new RuntimeException("reset");
    source.exceptionHandler.handle(reset);
    body.handler(null);

    assertThat(failures).containsExactly(reset);
    assertThat(source.handler).isNull();
  }

  @Test
  void withoutAnExceptionHandlerTheOversizedChunkIsStillDropped() {
    LimitedBody quiet = new LimitedBody(source, 2);
    quiet.handler(chunk -> forwarded.add(chunk.toString()));

    source.emit("abc");

    assertThat(forwarded).isEmpty();
    assertThat(source.pauses).isEqualTo(1);
  }

  /** Records what LimitedBody asks of its source; {@link #emit} delivers a chunk as the request would. */
  private static final class FakeSource implements ReadStream<Buffer> {
    Handler<Buffer> handler;
    Handler<Throwable> exceptionHandler;
    Handler<Void> endHandler;
    int pauses;
    int resumes;
    long fetched;

    void emit(String chunk) {
      handler.handle(Buffer.buffer(chunk));
    }

    void end() {
      endHandler.handle(null);
    }

    @Override
    public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
      this.exceptionHandler = handler;
      return this;
    }

    @Override
    public ReadStream<Buffer> handler(Handler<Buffer> handler) {
      this.handler = handler;
      return this;
    }

    @Override
    public ReadStream<Buffer> pause() {
      pauses++;
      return this;
    }

    @Override
    public ReadStream<Buffer> resume() {
      resumes++;
      return this;
    }

    @Override
    public ReadStream<Buffer> fetch(long amount) {
      fetched += amount;
      return this;
    }

    @Override
    public ReadStream<Buffer> endHandler(Handler<Void> endHandler) {
      this.endHandler = endHandler;
      return this;
    }
  }
}
