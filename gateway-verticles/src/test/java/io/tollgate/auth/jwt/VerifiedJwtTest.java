package io.tollgate.auth.jwt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The claim helpers routes use for scopes, roles and claim-to-header mapping. */
class VerifiedJwtTest {

  private static final String ISSUER = "https://internal.example";
  private static VerifiedJwt jwt;

  @BeforeAll
  static void verifyOneToken() {
    String claims = """
        {"iss": "https://internal.example", "sub": "alice", "exp": 9999999999,
         "scope": "orders:read  orders:write profile",
         "roles": ["admin", 7, "auditor", null, {"x": 1}, "admin"],
         "realm_access": {"roles": ["offline_access", "uma_authorization"], "nested": {"deeper": "yes"}},
         "resource_access": {"tollgate": {"roles": ["gateway-admin"]}},
         "https://example.com/roles": ["namespaced"],
         "tenant": 42, "verified": true, "empty": "", "nothing": null,
         "a.b": "literal dotted name", "a": {"b": "nested path"}}
        """;
    JwtResult result = new JwtVerifier().verify(HmacTokens.sign(HmacTokens.HS256_HEADER, claims),
        IssuerPolicy.of(ISSUER, Set.of(), EnumSet.of(JwsAlgorithm.HS256)),
        KeySet.hmac(HmacTokens.SECRET, Instant.now()), Instant.now());
    jwt = ((JwtResult.Valid) result).jwt();
  }

  @Test
  void aSpaceSeparatedStringGivesItsWords() {
    assertThat(jwt.strings("scope")).containsExactly("orders:read", "orders:write", "profile");
  }

  @Test
  void anArrayGivesItsStringElementsOnce() {
    assertThat(jwt.strings("roles")).containsExactly("admin", "auditor");
  }

  @Test
  void aDottedPathReachesIntoNestedObjects() {
    assertThat(jwt.strings("realm_access.roles")).containsExactly("offline_access", "uma_authorization");
    assertThat(jwt.strings("resource_access.tollgate.roles")).containsExactly("gateway-admin");
    assertThat(jwt.string("realm_access.nested.deeper")).isEqualTo("yes");
  }

  @Test
  void aClaimNamedWithDotsIsFoundByItsFullNameFirst() {
    assertThat(jwt.strings("https://example.com/roles")).containsExactly("namespaced");
    assertThat(jwt.string("a.b")).isEqualTo("literal dotted name");
  }

  @Test
  void missingOrNonStringValuesGiveAnEmptySet() {
    assertThat(jwt.strings("missing")).isEmpty();
    assertThat(jwt.strings("realm_access.missing")).isEmpty();
    assertThat(jwt.strings("scope.anything")).isEmpty();
    assertThat(jwt.strings("realm_access")).isEmpty();
    assertThat(jwt.strings("tenant")).isEmpty();
    assertThat(jwt.strings("empty")).isEmpty();
    assertThat(jwt.strings("nothing")).isEmpty();
    assertThat(jwt.strings("")).isEmpty();
    assertThat(jwt.strings("realm_access.")).isEmpty();
  }

  @Test
  void aSingleStringIsTheValueOrTheJsonTextOfAScalar() {
    assertThat(jwt.string("sub")).isEqualTo("alice");
    assertThat(jwt.string("tenant")).isEqualTo("42");
    assertThat(jwt.string("verified")).isEqualTo("true");
    assertThat(jwt.string("roles")).isNull();
    assertThat(jwt.string("realm_access")).isNull();
    assertThat(jwt.string("nothing")).isNull();
    assertThat(jwt.string("missing")).isNull();
  }

  @Test
  void theReturnedSetsAreReadOnly() {
    assertThat(jwt.strings("roles")).isUnmodifiable();
    assertThat(jwt.audiences()).isUnmodifiable();
  }

  @Test
  void toStringNamesTheTokenButNotItsClaims() {
    assertThat(jwt.toString()).contains("alice").contains(ISSUER).doesNotContain("orders:read");
  }
}
