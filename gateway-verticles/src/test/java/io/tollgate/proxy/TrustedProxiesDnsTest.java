package io.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.tollgate.testkit.process.JavaProcess;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host names must never reach the resolver. To see a lookup without a network, a child JVM resolves through a
 * hosts file ({@code -Djdk.net.hosts.file}) that maps names — some starting with hex digits, like an IPv6
 * literal would — to 10.9.9.9: if {@link TrustedProxies} resolved them, they would parse and be trusted.
 */
class TrustedProxiesDnsTest {

  private static final List<String> NAMES = List.of("cafe.example", "deadbeef", "1.example", "localhost");

  @TempDir
  Path dir;

  @Test
  void hostNamesAreNeitherResolvedNorTrusted() throws Exception {
    Path hosts = Files.writeString(dir.resolve("hosts"), "10.9.9.9 " + String.join(" ", NAMES) + "\n");

    try (JavaProcess child = JavaProcess.mainClass(System.getProperty("java.class.path"), Child.class.getName(),
        List.of("-Djdk.net.hosts.file=" + hosts), NAMES, Map.of()).start()) {
      assertThat(child.awaitExit(Duration.ofSeconds(30))).as("exit code; output %s", child.lines()).isZero();
      assertThat(child.lines()).containsExactlyInAnyOrder(
          "resolver cafe.example=10.9.9.9", "parse cafe.example rejected", "contains cafe.example false",
          "resolver deadbeef=10.9.9.9", "parse deadbeef rejected", "contains deadbeef false",
          "resolver 1.example=10.9.9.9", "parse 1.example rejected", "contains 1.example false",
          "resolver localhost=10.9.9.9", "parse localhost rejected", "contains localhost false");
    }
  }

  /** Runs in the child JVM: for each name, our answers, then the resolver's (proof that the hosts file works). */
  public static final class Child {

    public static void main(String[] names) throws Exception {
      TrustedProxies tenSlashEight = TrustedProxies.parse(List.of("10.0.0.0/8"));
      for (String name : names) {
        try {
          TrustedProxies.parse(List.of(name));
          System.out.println("parse " + name + " accepted");
        } catch (IllegalArgumentException e) {
          System.out.println("parse " + name + " rejected");
        }
        System.out.println("contains " + name + " " + tenSlashEight.contains(name));
        System.out.println("resolver " + name + "=" + InetAddress.getByName(name).getHostAddress());
      }
    }
  }
}
