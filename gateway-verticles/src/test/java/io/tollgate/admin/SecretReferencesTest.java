package io.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SecretReferencesTest {

  private static JsonObject route(String authorization) {
    return new JsonObject().put("path", "/x/**").put("rewrite", new JsonObject().put("setHeaders",
        new JsonObject().put("Authorization", authorization).put("X-Tenant", "acme")));
  }

  @Test
  void literalSecretsAreRefusedWithTheirPathsAndReferencesAccepted() {
    JsonArray errors = new JsonArray();
    SecretReferences.check(route("Bearer abc"), "routes[x]", errors);
    SecretReferences.check(new JsonObject().put("password", "hunter2").put("nested", new JsonObject()
        .put("clientSecret", "${CLIENT_SECRET}")), "services[s]", errors);
    SecretReferences.check(route("${RUNNER_TOKEN}"), "routes[y]", errors);
    SecretReferences.check(route("${file:/run/secrets/runner-token}"), "routes[z]", errors);
    assertThat(errors.stream().map(e -> ((JsonObject) e).getString("path")))
        .containsExactly("routes[x].rewrite.setHeaders.Authorization", "services[s].password");
    assertThat(errors.encode()).doesNotContain("abc").doesNotContain("hunter2");
  }

  @Test
  void aReferenceWithALiteralDefaultIsStillALiteral() {
    JsonArray errors = new JsonArray();
    SecretReferences.check(route("${TOKEN:fallback-secret}"), "routes[x]", errors);
    assertThat(errors).hasSize(1);
  }

  @Test
  void redactionHidesLiteralsAndKeepsReferencesAndOrdinaryValues() {
    JsonObject redacted = SecretReferences.redact(route("Bearer abc").put("token", "${T}"));
    assertThat(redacted.getJsonObject("rewrite").getJsonObject("setHeaders").getString("Authorization"))
        .isEqualTo("***");
    assertThat(redacted.getJsonObject("rewrite").getJsonObject("setHeaders").getString("X-Tenant")).isEqualTo("acme");
    assertThat(redacted.getString("token")).isEqualTo("${T}");
  }
}
