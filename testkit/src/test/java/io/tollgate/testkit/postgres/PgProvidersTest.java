package io.tollgate.testkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PgProvidersTest {

  private final List<String> started = new ArrayList<>();

  @Test
  void aUrlWinsAndStartsNothing() {
    PgBackend backend = providers(Map.of("TOLLGATE_TEST_PG_URL", "postgresql://u:p@h:1/d"), true)
        .resolveShared().backend();

    assertThat(backend.provider()).isEqualTo("url");
    assertThat(backend.host() + ":" + backend.port() + "/" + backend.adminDatabase()).isEqualTo("h:1/d");
    assertThat(started).isEmpty();
  }

  @Test
  void testcontainersWhenDockerAnswersElseEmbedded() {
    assertThat(providers(Map.of(), true).resolveShared().backend().provider()).isEqualTo("testcontainers");
    assertThat(providers(Map.of(), false).resolveShared().backend().provider()).isEqualTo("embedded");
    assertThat(started).containsExactly("testcontainers", "embedded");
  }

  @Test
  void aForcedProviderIsNeverReplaced() {
    assertThat(providers(Map.of("TOLLGATE_TEST_PG_PROVIDER", "embedded", "TOLLGATE_TEST_PG_URL", "postgresql://h/d"),
        true).resolveShared().backend().provider()).isEqualTo("embedded");
    assertThatThrownBy(() -> providers(Map.of("TOLLGATE_TEST_PG_PROVIDER", "testcontainers"), false).resolveShared())
        .hasMessageContaining("no Docker engine answers");
    assertThat(started).containsExactly("embedded");
  }

  @Test
  void failsWithWhatToInstallWhenNothingWorks() {
    PgProviders none = new PgProviders(settings(Map.of()), () -> false, failing("docker broke"),
        failing("no binaries for this platform"));

    assertThatThrownBy(none::resolveShared)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("TOLLGATE_TEST_PG_URL is not set")
        .hasMessageContaining("testcontainers: no Docker engine answers")
        .hasMessageContaining("embedded: no binaries for this platform")
        .hasMessageContaining("apt-get install postgresql");
  }

  @Test
  void privateServersAreAlwaysEmbedded() {
    assertThat(providers(Map.of("TOLLGATE_TEST_PG_URL", "postgresql://h/d"), true).resolvePrivate().backend()
        .provider()).isEqualTo("embedded");
  }

  @Test
  void rejectsAnUnknownProvider() {
    assertThatThrownBy(() -> providers(Map.of("TOLLGATE_TEST_PG_PROVIDER", "docker"), true).resolveShared())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("auto, url, testcontainers or embedded");
  }

  private PgProviders providers(Map<String, String> settings, boolean docker) {
    return new PgProviders(settings(settings), () -> docker, fake("testcontainers"), fake("embedded"));
  }

  private static Function<String, Optional<String>> settings(Map<String, String> values) {
    return name -> Optional.ofNullable(values.get(name));
  }

  private Supplier<PgBackend> fake(String provider) {
    return () -> {
      started.add(provider);
      return new FakeBackend(provider);
    };
  }

  private record FakeBackend(String provider) implements PgBackend {
    @Override
    public String host() {
      return "127.0.0.1";
    }

    @Override
    public int port() {
      return 1;
    }

    @Override
    public String user() {
      return "postgres";
    }

    @Override
    public String password() {
      return "";
    }

    @Override
    public String adminDatabase() {
      return "postgres";
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

  private static Supplier<PgBackend> failing(String message) {
    return () -> {
      throw new IllegalStateException(message);
    };
  }
}
