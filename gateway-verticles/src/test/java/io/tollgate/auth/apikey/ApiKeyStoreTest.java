package io.tollgate.auth.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyStoreTest {

  private static final ApiKeyHasher HMAC =
      ApiKeyHasher.hmac("pepper-pepper-pepper-pepper-pepper".getBytes(StandardCharsets.UTF_8));
  private static final String ALICE_KEY = "Zq3v9T0sT9aS6hYk1s0o2W4eJcXv8mH7bQ1rL5nU2pE";
  private static final String BOB_KEY = "another-key-for-bob-0000000000000000000000";

  private final ApiKeyStore store = ApiKeyStore.of(HMAC, List.of(
      new StoredApiKey("alice", HMAC.hash(ALICE_KEY), Set.of("orders:read", "orders:write")),
      new StoredApiKey("bob", HMAC.hash(BOB_KEY), Set.of())));

  @Test
  void aKnownKeyYieldsItsConsumerAndScopes() {
    assertThat(store.lookup(ALICE_KEY))
        .contains(new ApiKeyPrincipal("alice", Set.of("orders:read", "orders:write")));
    assertThat(store.lookup(BOB_KEY)).contains(new ApiKeyPrincipal("bob", Set.of()));
    assertThat(store.size()).isEqualTo(2);
  }

  @Test
  void wrongAndUnknownKeysYieldNothing() {
    String almost = ALICE_KEY.substring(0, ALICE_KEY.length() - 1) + "F";
    assertThat(store.lookup(almost)).isEmpty();
    assertThat(store.lookup(ALICE_KEY + " ")).isEmpty();
    assertThat(store.lookup(ALICE_KEY.substring(1))).isEmpty();
    assertThat(store.lookup(ApiKeyHasher.generate())).isEmpty();
    assertThat(store.lookup("")).isEmpty();
    assertThat(store.lookup(null)).isEmpty();
  }

  @Test
  void theStoredHashItselfIsNotAKey() {
    assertThat(store.lookup(HMAC.hash(ALICE_KEY))).isEmpty();
  }

  @Test
  void aStoreWithAnotherPepperDoesNotRecogniseTheKey() {
    ApiKeyHasher otherPepper = ApiKeyHasher.hmac("other-pepper-other-pepper-other-pepper".getBytes(StandardCharsets.UTF_8));
    ApiKeyStore other = ApiKeyStore.of(otherPepper, List.of(
        new StoredApiKey("alice", HMAC.hash(ALICE_KEY), Set.of())));
    assertThat(other.lookup(ALICE_KEY)).isEmpty();
  }

  @Test
  void plainSha256StoresWorkWithTheFips180Vector() {
    ApiKeyStore sha = ApiKeyStore.of(ApiKeyHasher.sha256(), List.of(new StoredApiKey("legacy",
        "sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", Set.of("read"))));
    assertThat(sha.lookup("abc")).contains(new ApiKeyPrincipal("legacy", Set.of("read")));
    assertThat(sha.lookup("abd")).isEmpty();
  }

  @Test
  void hashesOfAnotherSchemeOrShapeAreRefusedNamingTheConsumerOnly() {
    String sha = ApiKeyHasher.sha256().hash(ALICE_KEY);
    assertThatThrownBy(() -> ApiKeyStore.of(HMAC, List.of(new StoredApiKey("alice", sha, Set.of()))))
        .hasMessageContaining("alice").hasMessageContaining("hmac-sha256:")
        .hasMessageNotContaining(sha.substring("sha256:".length()));
    assertThatThrownBy(() -> ApiKeyStore.of(HMAC, List.of(new StoredApiKey("carol", "hmac-sha256:abcd", Set.of()))))
        .hasMessageContaining("carol").hasMessageContaining("64 hex digits");
    assertThatThrownBy(() -> ApiKeyStore.of(HMAC, List.of(
        new StoredApiKey("dave", "hmac-sha256:" + "zz".repeat(32), Set.of()))))
        .hasMessageContaining("not hexadecimal");
  }

  @Test
  void twoConsumersCannotShareAKey() {
    assertThatThrownBy(() -> ApiKeyStore.of(HMAC, List.of(
        new StoredApiKey("alice", HMAC.hash(ALICE_KEY), Set.of()),
        new StoredApiKey("mallory", HMAC.hash(ALICE_KEY), Set.of()))))
        .hasMessageContaining("mallory").hasMessageContaining("alice");
  }

  @Test
  void noHashOrKeyAppearsInToString() {
    String aliceHash = HMAC.hash(ALICE_KEY);
    StoredApiKey stored = new StoredApiKey("alice", aliceHash, Set.of("orders:read"));
    String hex = aliceHash.substring("hmac-sha256:".length());
    assertThat(store.toString()).isEqualTo("ApiKeyStore[2 key(s), hmac-sha256]");
    assertThat(stored.toString()).contains("alice").contains("orders:read").doesNotContain(hex);
    assertThat(store.lookup(ALICE_KEY).orElseThrow().toString()).doesNotContain(ALICE_KEY).doesNotContain(hex);
  }

  @Test
  void anEmptyStoreKnowsNoKey() {
    assertThat(ApiKeyStore.empty(HMAC).lookup(ALICE_KEY)).isEmpty();
  }
}
