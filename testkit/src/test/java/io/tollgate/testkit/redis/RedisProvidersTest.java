package io.tollgate.testkit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RedisProvidersTest {

  private final List<String> started = new ArrayList<>();

  @Test
  void aUrlWinsAndStartsNothing() {
    RedisBackend backend = providers(Map.of("TOLLGATE_TEST_REDIS_URL", "redis://h:1/2"), true, true)
        .resolveShared().backend();

    assertThat(backend.provider()).isEqualTo("url");
    assertThat(backend.endpoint()).isEqualTo(new RedisEndpoint("h", 1, "", "", 2));
    assertThat(started).isEmpty();
  }

  @Test
  void followsTheOrderDockerThenPathThenEmbedded() {
    assertThat(providers(Map.of(), true, true).resolveShared().backend().provider()).isEqualTo("testcontainers");
    assertThat(providers(Map.of(), false, true).resolveShared().backend().provider()).isEqualTo("redis-server");
    assertThat(providers(Map.of(), false, false).resolveShared().backend().provider()).isEqualTo("embedded");
  }

  @Test
  void privateServersAreLocalProcessesUnlessForced() {
    assertThat(providers(Map.of("TOLLGATE_TEST_REDIS_URL", "redis://h"), true, true).resolvePrivate().backend()
        .provider()).isEqualTo("redis-server");
    assertThat(providers(Map.of("TOLLGATE_TEST_REDIS_PROVIDER", "embedded"), true, true).resolvePrivate()
        .backend().provider()).isEqualTo("embedded");
  }

  @Test
  void aForcedProviderIsNeverReplaced() {
    assertThatThrownBy(() -> providers(Map.of("TOLLGATE_TEST_REDIS_PROVIDER", "path"), true, false).resolveShared())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("path: no redis-server on the PATH");
    assertThat(started).isEmpty();
  }

  @Test
  void failsWithWhatToInstallWhenNothingWorks() {
    RedisProviders none = new RedisProviders(name -> Optional.empty(), () -> false, fake("testcontainers"),
        absent("no redis-server on the PATH"), absent("no binary for plan9/mips"),
        path -> fake("redis-server").get(), path -> fake("embedded").get());

    assertThatThrownBy(none::resolveShared)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("TOLLGATE_TEST_REDIS_URL is not set")
        .hasMessageContaining("testcontainers: no Docker engine answers")
        .hasMessageContaining("path: no redis-server on the PATH")
        .hasMessageContaining("embedded: no binary for plan9/mips")
        .hasMessageContaining("apt-get install redis-server");
  }

  private RedisProviders providers(Map<String, String> settings, boolean docker, boolean onPath) {
    return new RedisProviders(name -> Optional.ofNullable(settings.get(name)), () -> docker, fake("testcontainers"),
        onPath ? () -> Path.of("/usr/bin/redis-server") : absent("no redis-server on the PATH"),
        () -> Path.of("/tmp/redis-server-7.0.15"),
        path -> fake("redis-server").get(), path -> fake("embedded").get());
  }

  private Supplier<RedisBackend> fake(String provider) {
    return () -> {
      started.add(provider);
      return new FakeBackend(provider);
    };
  }

  private static Supplier<Path> absent(String why) {
    return () -> {
      throw new IllegalStateException(why);
    };
  }

  private record FakeBackend(String provider) implements RedisBackend {
    @Override
    public RedisEndpoint endpoint() {
      return RedisEndpoint.local("127.0.0.1", 1);
    }

    @Override
    public String detail() {
      return "fake";
    }

    @Override
    public void stop() {}

    @Override
    public void start() {}

    @Override
    public void close() {}
  }
}
