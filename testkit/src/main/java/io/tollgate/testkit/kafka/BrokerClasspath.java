package io.tollgate.testkit.kafka;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The broker JVM's classpath: the jar (or classes directory) of module {@code testkit-kafka-broker}, which
 * holds {@code BrokerMain}, plus the jars listed in its {@value #RESOURCE} — the broker's runtime dependencies
 * as Maven resolved them when that module was built ({@code dependency:build-classpath}, absolute paths into
 * the local repository). The test classpath carries only that one small jar, never the broker's kafka 4.x jars.
 */
final class BrokerClasspath {

  static final String RESOURCE = "io/tollgate/testkit/kafka/broker/classpath.txt";
  static final String MAIN_CLASS = "io.tollgate.testkit.kafka.broker.BrokerMain";

  private static final String REBUILD = "./mvnw -B install -pl testkit-kafka-broker (from the repository root;"
      + " it downloads org.apache.kafka:kafka_2.13 and its dependencies from Maven Central once)";

  private BrokerClasspath() {}

  /**
   * Reads and checks the classpath as {@code loader} (the test classpath) provides it.
   *
   * @throws IllegalStateException naming what is missing and the command that provides it
   */
  static String resolve(ClassLoader loader) {
    URL listing = loader.getResource(RESOURCE);
    if (listing == null) {
      throw new IllegalStateException("Cannot start a Kafka broker: " + RESOURCE + " is not on the test"
          + " classpath. It is in the jar of module io.tollgate:testkit-kafka-broker, which io.tollgate:testkit"
          + " depends on; build the project from its root (./mvnw -B verify) or run " + REBUILD + ". Or set "
          + KafkaBroker.BOOTSTRAP_ENV + " to a running broker's host:port.");
    }
    // The module root goes last: when it is a fat jar (the demo's), the kafka-clients it also bundles must not
    // shadow the broker's own 4.x jars.
    List<String> entries = new ArrayList<>(read(listing));
    entries.add(moduleRoot(listing).toString());
    List<String> missing = entries.stream().filter(entry -> !Files.exists(Path.of(entry))).toList();
    if (!missing.isEmpty()) {
      throw new IllegalStateException("Cannot start a Kafka broker: " + missing.size() + " of the "
          + entries.size() + " classpath entries listed in " + listing + " are missing (first: " + missing.get(0)
          + "). They were resolved when testkit-kafka-broker was built; the local Maven repository has changed"
          + " since, or the jar was built on another machine. Rebuild it: " + REBUILD + ".");
    }
    return String.join(File.pathSeparator, entries);
  }

  private static List<String> read(URL listing) {
    try (InputStream in = listing.openStream()) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      return text.isEmpty() ? List.of() : List.of(text.split(File.pathSeparator));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + listing, e);
    }
  }

  /** The jar, or the classes directory when Maven's reactor hands over {@code target/classes}. */
  private static Path moduleRoot(URL listing) {
    try {
      if ("jar".equals(listing.getProtocol())) {
        return Path.of(((JarURLConnection) listing.openConnection()).getJarFileURL().toURI());
      }
      Path file = Path.of(listing.toURI());
      Path root = file;
      for (int i = 0; i < Path.of(RESOURCE).getNameCount(); i++) {
        root = root.getParent();
      }
      return root;
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException("cannot locate the module that holds " + listing, e);
    }
  }
}
