package io.tollgate.events.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The CLI without a broker: usage and bad arguments. Publishing is PublishOwnershipIT's. */
class PublishOwnershipTest {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void helpPrintsTheUsageAndSucceeds() {
    assertThat(run("--help")).isZero();
    assertThat(text(out)).startsWith("Usage: java -jar tollgate-events.jar publish-ownership");
    assertThat(text(err)).isEmpty();
  }

  @Test
  void badArgumentsExitWithTwoNamingTheProblemAndConnectNowhere() {
    assertThat(run("publish-ownership", "--bootstrap", "127.0.0.1:9", "--resource", "monitor:101")).isEqualTo(2);
    assertThat(text(err)).startsWith("publish-ownership: --owner is required\n").contains("Usage:");
    assertThat(text(out)).isEmpty();
  }

  private int run(String... args) {
    return PublishOwnership.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private static String text(ByteArrayOutputStream stream) {
    return stream.toString(StandardCharsets.UTF_8);
  }
}
