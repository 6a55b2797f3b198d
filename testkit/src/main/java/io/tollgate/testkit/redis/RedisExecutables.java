package io.tollgate.testkit.redis;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import redis.embedded.RedisExecProvider;

/** Where a runnable {@code redis-server} is: on the PATH, or the one shipped in Maven by embedded-redis. */
final class RedisExecutables {

  private static final Pattern VERSION = Pattern.compile("v=(\\d+)\\.(\\d+)\\.(\\d+)");
  private static Path embedded;

  private RedisExecutables() {}

  /**
   * {@code redis-server} from the PATH.
   *
   * @throws IllegalStateException saying why not: absent, not runnable, or older than 6.2 (the test kit's
   *     {@code CLIENT PAUSE … ALL} needs 6.2)
   */
  static Path onPath() {
    String name = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")
        ? "redis-server.exe" : "redis-server";
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    for (String directory : path.split(File.pathSeparator)) {
      if (directory.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(directory, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        requireVersion(candidate);
        return candidate;
      }
    }
    throw new IllegalStateException("no redis-server on the PATH");
  }

  /**
   * The binary shipped in {@code org.signal:embedded-redis} for this OS and CPU (Redis 7.0.15), extracted
   * once per JVM to a temporary directory deleted at exit.
   */
  static synchronized Path embedded() {
    if (embedded == null) {
      try {
        embedded = RedisExecProvider.defaultProvider().get().toPath();
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException("embedded-redis has no usable binary for " + System.getProperty("os.name")
            + "/" + System.getProperty("os.arch") + ": " + e, e);
      }
    }
    return embedded;
  }

  /** The version of an embedded binary, for messages; the constant embedded-redis was built with. */
  static String embeddedVersion() {
    return RedisExecProvider.redisVersion;
  }

  private static void requireVersion(Path executable) {
    String output;
    try {
      Process process = new ProcessBuilder(executable.toString(), "--version").redirectErrorStream(true).start();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(executable + " --version did not answer within 5 s");
      }
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + executable + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking " + executable + " for its version", e);
    }
    Matcher matcher = VERSION.matcher(output);
    if (!matcher.find()) {
      throw new IllegalStateException(executable + " --version printed no version: " + output.strip());
    }
    int major = Integer.parseInt(matcher.group(1));
    int minor = Integer.parseInt(matcher.group(2));
    if (major < 6 || (major == 6 && minor < 2)) {
      throw new IllegalStateException(executable + " is Redis " + matcher.group() + "; the test kit needs 6.2+");
    }
  }
}
