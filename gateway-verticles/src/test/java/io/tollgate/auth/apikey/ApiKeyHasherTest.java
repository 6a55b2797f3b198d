package io.tollgate.auth.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyHasherTest {

  private static final byte[] PEPPER = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  @Test
  void sha256MatchesTheFips180Vector() {
    assertThat(ApiKeyHasher.sha256().hash("abc"))
        .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void hmacMatchesRfc4231TestCase6() {
    byte[] key = new byte[131];
    Arrays.fill(key, (byte) 0xaa);
    assertThat(ApiKeyHasher.hmac(key).hash("Test Using Larger Than Block-Size Key - Hash Key First"))
        .isEqualTo("hmac-sha256:60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  }

  @Test
  void thePepperChangesTheHash() {
    byte[] other = PEPPER.clone();
    other[0] ^= 1;
    String key = ApiKeyHasher.generate();
    assertThat(ApiKeyHasher.hmac(PEPPER).hash(key))
        .isNotEqualTo(ApiKeyHasher.hmac(other).hash(key))
        .isNotEqualTo(ApiKeyHasher.sha256().hash(key).replace("sha256:", "hmac-sha256:"));
  }

  @Test
  void aShortPepperIsRefused() {
    assertThatThrownBy(() -> ApiKeyHasher.hmac(new byte[31])).hasMessageContaining("at least 32 bytes");
    assertThatThrownBy(() -> ApiKeyHasher.hmacFromEnv("PEPPER", Map.of()))
        .hasMessageContaining("PEPPER").hasMessageContaining("not set");
  }

  @Test
  void hashingIsStableAcrossThreadsAndCalls() throws Exception {
    ApiKeyHasher hasher = ApiKeyHasher.hmac(PEPPER);
    String expected = hasher.hash("k");
    Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 1_000; i++) {
          seen.add(hasher.hash("k"));
        }
      });
      threads[t].start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(seen).containsExactly(expected);
  }

  @Test
  void generatedKeysAre32RandomBytesInBase64Url() {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      String key = ApiKeyHasher.generate();
      assertThat(key).hasSize(43).matches("[A-Za-z0-9_-]+");
      assertThat(Base64.getUrlDecoder().decode(key)).hasSize(32);
      keys.add(key);
    }
    assertThat(keys).hasSize(100);
  }

  @Test
  void toStringNamesTheSchemeButNeverThePepper() {
    assertThat(ApiKeyHasher.hmac(PEPPER).toString())
        .isEqualTo("ApiKeyHasher[hmac-sha256]")
        .doesNotContain(new String(PEPPER, StandardCharsets.US_ASCII));
  }

  @Test
  void commandLineHashesWithThePepperFromTheEnvironment() {
    Cli cli = Cli.run(Map.of("API_KEY_PEPPER", new String(PEPPER, StandardCharsets.US_ASCII)), "",
        "--pepper-env", "API_KEY_PEPPER", "my-key");
    assertThat(cli.status).isZero();
    assertThat(cli.out).isEqualTo(ApiKeyHasher.hmac(PEPPER).hash("my-key") + System.lineSeparator());
  }

  @Test
  void commandLineReadsTheKeyFromStandardInput() {
    Cli cli = Cli.run(Map.of(), "abc\n", "--sha256", "-");
    assertThat(cli.out.strip())
        .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void commandLineGeneratesAKeyAndItsHash() {
    Cli cli = Cli.run(Map.of(), "", "--generate", "--sha256");
    String[] lines = cli.out.strip().split("\\R");
    assertThat(lines).hasSize(2);
    assertThat(lines[1]).isEqualTo(ApiKeyHasher.sha256().hash(lines[0]));
  }

  @Test
  void commandLineRefusesAMissingPepperWithUsageAndNoOutput() {
    Cli cli = Cli.run(Map.of(), "", "--pepper-env", "API_KEY_PEPPER", "my-key");
    assertThat(cli.status).isEqualTo(2);
    assertThat(cli.out).isEmpty();
    assertThat(cli.err).contains("API_KEY_PEPPER").contains("usage:");
  }

  private record Cli(int status, String out, String err) {
    static Cli run(Map<String, String> env, String stdin, String... args) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int status = ApiKeyHasher.run(args, env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
      return new Cli(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }
}
