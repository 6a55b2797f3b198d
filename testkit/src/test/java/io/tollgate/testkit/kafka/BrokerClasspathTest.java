package io.tollgate.testkit.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerClasspathTest {

  @TempDir
  Path moduleClasses;

  @Test
  void theTestClasspathCarriesTheBrokerModuleButNoneOfItsJars() {
    String classpath = BrokerClasspath.resolve(getClass().getClassLoader());

    assertThat(classpath.split(File.pathSeparator))
        .anyMatch(entry -> entry.contains("testkit-kafka-broker"))
        .anyMatch(entry -> entry.contains("kafka_2.13-4."))
        .anyMatch(entry -> entry.contains("kafka-clients-4."));
    assertThat(System.getProperty("java.class.path").split(File.pathSeparator))
        .noneMatch(entry -> entry.contains("kafka_2.13"))
        .noneMatch(entry -> entry.contains("kafka-clients-4."));
  }

  @Test
  void listsTheBrokerJarsFirstAndTheModuleRootLast() throws Exception {
    // Last, so a fat jar holding BrokerMain (the demo's) cannot shadow the broker's kafka 4.x classes.
    Path jar = Files.createFile(moduleClasses.resolveSibling(moduleClasses.getFileName() + "-kafka.jar"));
    writeListing(jar.toString());

    assertThat(BrokerClasspath.resolve(loader()))
        .isEqualTo(jar + File.pathSeparator + moduleClasses);
  }

  @Test
  void namesTheMissingJarAndTheCommandThatBringsItBack() throws Exception {
    writeListing("/nowhere/kafka_2.13-4.3.1.jar");

    assertThatThrownBy(() -> BrokerClasspath.resolve(loader()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("1 of the 2 classpath entries")
        .hasMessageContaining("/nowhere/kafka_2.13-4.3.1.jar")
        .hasMessageContaining("./mvnw -B install -pl testkit-kafka-broker");
  }

  @Test
  void saysWhichModuleIsMissingFromTheClasspath() {
    assertThatThrownBy(() -> BrokerClasspath.resolve(loader()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(BrokerClasspath.RESOURCE + " is not on the test classpath")
        .hasMessageContaining("io.tollgate:testkit-kafka-broker")
        .hasMessageContaining(KafkaBroker.BOOTSTRAP_ENV);
  }

  private void writeListing(String classpath) throws Exception {
    Path listing = moduleClasses.resolve(BrokerClasspath.RESOURCE);
    Files.createDirectories(listing.getParent());
    Files.writeString(listing, classpath + "\n");
  }

  /** Sees only {@link #moduleClasses}, not the test classpath. */
  private URLClassLoader loader() throws Exception {
    return new URLClassLoader(new URL[] {moduleClasses.toUri().toURL()}, null);
  }
}
