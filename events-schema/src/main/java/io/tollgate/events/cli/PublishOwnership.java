package io.tollgate.events.cli;

import io.tollgate.events.ownership.OwnershipEvent;
import io.tollgate.events.publish.OwnershipPublisher;
import io.tollgate.events.publish.PublisherSettings;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * {@code java -jar tollgate-events.jar publish-ownership --bootstrap HOST:PORT --resource TYPE:ID --owner OWNER
 * [...]}: publishes one ownership event for operators and scripts ({@link PublishRequest#USAGE} lists the options).
 *
 * <p>On success prints one line to stdout, {@code published <type> key=<key> version=<n> topic=<topic>
 * partition=<p> offset=<o>}, then the event's JSON; exit status 0. Bad arguments: the problem and the usage on
 * stderr, status 2. Not published (broker unreachable, topic missing, refused): why on stderr, status 1, within
 * the timeout (default 10 s) plus a moment to close the client.
 */
public final class PublishOwnership {

  /** How long the client may take to close after a failed publish (nothing is left to flush). */
  private static final Duration CLOSE_AFTER_FAILURE = Duration.ofSeconds(1);

  private PublishOwnership() {
  }

  public static void main(String[] args) {
    // kafka-clients logs a warning per reconnect attempt; the CLI reports the outcome itself.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    }
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command line and returns the exit status; prints only to {@code out} and {@code err}. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
      out.print(PublishRequest.USAGE);
      return 0;
    }
    PublishRequest request;
    OwnershipEvent event;
    try {
      request = PublishRequest.parse(args);
      event = request.event(Instant.now());
    } catch (UsageException e) {
      err.println("publish-ownership: " + e.getMessage());
      err.println();
      err.print(PublishRequest.USAGE);
      return 2;
    }
    return publish(request, event, out, err);
  }

  private static int publish(PublishRequest request, OwnershipEvent event, PrintStream out, PrintStream err) {
    PublisherSettings settings = new PublisherSettings(request.bootstrapServers(), request.topic(),
        request.timeout(), Map.of());
    OwnershipPublisher publisher = OwnershipPublisher.create(settings);
    boolean published = false;
    try {
      // The publisher gives up after the timeout itself; the extra second only guards against a hang.
      RecordMetadata metadata = publisher.publish(event)
          .get(request.timeout().plusSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
      out.printf("published %s key=%s version=%d topic=%s partition=%d offset=%d%n", event.type(), event.key(),
          event.version(), metadata.topic(), metadata.partition(), metadata.offset());
      out.println(event.toJson());
      published = true;
      return 0;
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      err.printf("publish-ownership: not published to topic %s at %s within %d s: %s%n", request.topic(),
          request.bootstrapServers(), request.timeout().toSeconds(), cause.getMessage());
      err.println("Is a Kafka broker reachable at " + request.bootstrapServers() + ", and does the topic exist?"
          + " (Tollgate creates no topics; see docs/events.md.)");
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("publish-ownership: interrupted before the broker acknowledged");
      return 1;
    } finally {
      publisher.close(published ? request.timeout() : CLOSE_AFTER_FAILURE);
    }
  }
}
