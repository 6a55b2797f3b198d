package io.tollgate.testkit.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaProcessTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path tempDir;

  @Test
  void runsAJarCapturesOutputAndStopsOnSigterm() throws Exception {
    try (JavaProcess child = JavaProcess.jar(childJar(), List.of("-Xmx32m"), List.of("one", "two"),
        Map.of("TOLLGATE_CHILD", "yes")).start()) {
      child.awaitLine("ready"::equals, WAIT);

      assertThat(child.lines()).contains("arg:one", "arg:two", "env:TOLLGATE_CHILD=yes");
      assertThat(child.pid()).isPositive();

      child.sigterm();
      assertThat(child.awaitExit(WAIT)).isEqualTo(143);
      assertThat(child.lines()).last().isEqualTo("stopping");
      assertThat(Files.readAllLines(child.logFile())).contains("ready", "stopping");
    }
  }

  @Test
  void failsFastWhenTheChildExitsBeforeTheAwaitedLine() throws Exception {
    try (JavaProcess child = JavaProcess.mainClass(testClasses(), ChildMain.class.getName(), List.of(),
        List.of("exit"), Map.of()).start()) {
      assertThatThrownBy(() -> child.awaitLine(line -> line.contains("never"), WAIT))
          .isInstanceOf(AssertionError.class)
          .hasMessageContaining("exited with 3")
          .hasMessageContaining("leaving");
      assertThat(child.awaitExit(WAIT)).isEqualTo(3);
    }
  }

  @Test
  void closeKillsAChildStillRunning() throws Exception {
    JavaProcess child = JavaProcess.mainClass(testClasses(), ChildMain.class.getName(), List.of(), List.of(),
        Map.of()).start();
    child.awaitLine("ready"::equals, WAIT);

    child.close();

    assertThat(child.isAlive()).isFalse();
    assertThat(ProcessHandle.of(child.pid()).filter(ProcessHandle::isAlive)).isEmpty();
  }

  private static String testClasses() throws URISyntaxException {
    return Path.of(ChildMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  /** A runnable jar holding just {@link ChildMain}. */
  private Path childJar() throws Exception {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, ChildMain.class.getName());
    Path jar = tempDir.resolve("child.jar");
    String entry = ChildMain.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        InputStream classFile = ChildMain.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      classFile.transferTo(out);
      out.closeEntry();
    }
    return jar;
  }
}
