package io.tollgate.testing;

import io.tollgate.testkit.peers.DeterministicBytes;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body for the JDK {@link java.net.http.HttpClient} made of the first {@code length} bytes of
 * {@link DeterministicBytes}, generated in 64 KiB chunks only as the client asks for them — a 200 MB upload
 * costs no heap, and the receiver checks it against {@link DeterministicBytes#sha256(long)}.
 *
 * <p>Reactive-streams rules kept: chunks are emitted only on demand, never concurrently (a re-entrant
 * {@code request} from {@code onNext} just adds demand), and {@code onComplete} follows the last chunk.
 */
public final class DeterministicBodyPublisher implements Flow.Publisher<ByteBuffer> {

  private final long length;

  private DeterministicBodyPublisher(long length) {
    if (length < 0) {
      throw new IllegalArgumentException("length must be >= 0: " + length);
    }
    this.length = length;
  }

  /** Sent with {@code Content-Length: length}; {@code length} must be positive. */
  public static HttpRequest.BodyPublisher sized(long length) {
    return HttpRequest.BodyPublishers.fromPublisher(new DeterministicBodyPublisher(length), length);
  }

  /** Sent with {@code Transfer-Encoding: chunked} (the length is not announced). */
  public static HttpRequest.BodyPublisher chunked(long length) {
    return HttpRequest.BodyPublishers.fromPublisher(new DeterministicBodyPublisher(length));
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    subscriber.onSubscribe(new Chunks(subscriber, length));
  }

  private static final class Chunks implements Flow.Subscription {

    private final Flow.Subscriber<? super ByteBuffer> subscriber;
    private final long length;
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger drainers = new AtomicInteger();
    private volatile boolean cancelled;
    private long offset;
    private boolean completed;

    Chunks(Flow.Subscriber<? super ByteBuffer> subscriber, long length) {
      this.subscriber = subscriber;
      this.length = length;
    }

    @Override
    public void request(long n) {
      if (n <= 0) {
        cancelled = true;
        subscriber.onError(new IllegalArgumentException("demand must be positive (§3.9): " + n));
        return;
      }
      demand.getAndAccumulate(n, (current, added) -> current + added < 0 ? Long.MAX_VALUE : current + added);
      drain();
    }

    @Override
    public void cancel() {
      cancelled = true;
    }

    /** Emits while there is demand; whoever finds another thread draining leaves the work to it. */
    private void drain() {
      if (drainers.getAndIncrement() != 0) {
        return;
      }
      do {
        while (!cancelled && offset < length && demand.get() > 0) {
          int chunk = (int) Math.min(DeterministicBytes.CHUNK_SIZE, length - offset);
          ByteBuffer bytes = ByteBuffer.wrap(DeterministicBytes.slice(offset, chunk).getBytes());
          offset += chunk;
          demand.decrementAndGet();
          subscriber.onNext(bytes);
        }
        if (!cancelled && offset == length && !completed) {
          completed = true;
          subscriber.onComplete();
        }
      } while (drainers.decrementAndGet() != 0);
    }
  }
}
