package io.tollgate.events.publish;

import io.tollgate.events.ownership.OwnershipCodec;
import io.tollgate.events.ownership.OwnershipEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Publishes ownership events the way the gateway expects them: key {@code <resourceType>:<resourceId>}, value the
 * event's JSON, header {@link OwnershipCodec#SCHEMA_HEADER}, through an idempotent producer with {@code acks=all}.
 *
 * <pre>{@code
 * try (OwnershipPublisher publisher = OwnershipPublisher.create(PublisherSettings.of("kafka:9092"))) {
 *   publisher.publish(new OwnershipAssigned("monitor", "101", "user-7", null, monitor.revision(), Instant.now(),
 *       "monitor-service")).join();
 * }
 * }</pre>
 *
 * <p>Versions are the producer's business: give every change of a resource a higher {@code version} than the
 * last (a database revision or sequence is ideal), and publish a revocation as {@code OwnershipRevoked}, never as a
 * tombstone (docs/events.md).
 *
 * <p>Threads: {@link #publish} may be called from any thread, including an event loop — it never blocks; the
 * Kafka call (which can block while it fetches metadata or the buffer is full) runs on the publisher's own
 * thread, in call order. The returned future completes on Kafka's I/O thread: do not block in stages attached to
 * it (use the {@code *Async} variants for slow work). It fails with Kafka's exception (e.g.
 * {@link org.apache.kafka.common.errors.TimeoutException} when the broker has not acknowledged within
 * {@link PublisherSettings#timeout()}).
 */
public final class OwnershipPublisher implements AutoCloseable {

  private final PublisherSettings settings;
  private final Producer<byte[], byte[]> producer;
  private final ExecutorService sender;

  private OwnershipPublisher(PublisherSettings settings) {
    this.settings = settings;
    this.producer = new KafkaProducer<>(settings.producerConfig());
    this.sender = Executors.newSingleThreadExecutor(task -> {
      Thread thread = new Thread(task, "tollgate-ownership-publisher");
      thread.setDaemon(true); // like Kafka's own I/O thread: close() is what flushes
      return thread;
    });
  }

  /**
   * A publisher with its own Kafka producer. Connects lazily: an unreachable broker shows in the first
   * publish's future, not here.
   */
  public static OwnershipPublisher create(PublisherSettings settings) {
    return new OwnershipPublisher(settings);
  }

  /** The record {@link #publish} sends, for producers that bring their own Kafka client. */
  public static ProducerRecord<byte[], byte[]> toRecord(String topic, OwnershipEvent event) {
    return new ProducerRecord<>(topic, null, OwnershipCodec.encodeKey(event), OwnershipCodec.encode(event),
        List.of(new RecordHeader(OwnershipCodec.SCHEMA_HEADER, OwnershipCodec.schemaHeaderValue(event))));
  }

  public PublisherSettings settings() {
    return settings;
  }

  /**
   * Sends {@code event} to {@link PublisherSettings#topic()}; the future completes with where it was written
   * once every in-sync replica has it, or fails within {@link PublisherSettings#timeout()} (or at once with an
   * {@link IllegalStateException} after {@link #close()}).
   */
  public CompletableFuture<RecordMetadata> publish(OwnershipEvent event) {
    ProducerRecord<byte[], byte[]> record = toRecord(settings.topic(), event);
    CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
    try {
      sender.execute(() -> send(record, result));
    } catch (RejectedExecutionException closed) {
      result.completeExceptionally(new IllegalStateException("the ownership publisher is closed"));
    }
    return result;
  }

  /**
   * Waits for the events published so far to be acknowledged or fail, then releases the producer; at most
   * {@link PublisherSettings#timeout()} in all. Idempotent.
   */
  @Override
  public void close() {
    close(settings.timeout());
  }

  /** As {@link #close()}, waiting at most {@code timeout}; events not acknowledged by then fail. */
  public void close(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    sender.shutdown();
    try {
      sender.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  private void send(ProducerRecord<byte[], byte[]> record, CompletableFuture<RecordMetadata> result) {
    try {
      producer.send(record, (metadata, error) -> {
        if (error != null) {
          result.completeExceptionally(error);
        } else {
          result.complete(metadata);
        }
      });
    } catch (RuntimeException e) { // e.g. interrupted, or the producer was closed meanwhile
      result.completeExceptionally(e);
    }
  }
}
