package io.tollgate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.config.ConfigError;
import io.tollgate.config.ConfigException;
import io.tollgate.config.GatewayConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ManagedEntitiesTest {

  private static final String BOOTSTRAP = """
      listener: { port: 0 }
      controlPlane:
        postgres: { url: "postgresql://tollgate@127.0.0.1:5432/tollgate" }
        kafka: { bootstrapServers: "127.0.0.1:9092" }
      """;

  private static ManagedEntities entities(EntityChange... changes) {
    return ManagedEntities.EMPTY.apply(changes.length, List.of(changes));
  }

  private static EntityChange service(String name) {
    return EntityChange.put(EntityKind.SERVICES, name, new JsonObject().put("targets",
        new JsonArray().add("http://127.0.0.1:9001")));
  }

  private static EntityChange route(String id, String path, String service) {
    return EntityChange.put(EntityKind.ROUTES, id, new JsonObject().put("path", path).put("service", service)
        .put("auth", "public"));
  }

  @Test
  void compilesOnTopOfTheBootstrapInDeclarationOrder() throws ConfigException {
    GatewayConfig config = entities(service("app"), route("b", "/b/**", "app"), route("a", "/a/**", "app"))
        .compile(BOOTSTRAP, Map.of());
    assertThat(config.routes()).extracting(r -> r.id()).containsExactly("b", "a");
    assertThat(config.services()).containsKey("app");
    assertThat(config.managed()).isTrue();
  }

  @Test
  void aReplacedEntityKeepsItsPlaceANewOneGoesLastAndADeleteRemovesIt() {
    ManagedEntities before = entities(route("c", "/c/**", "app"), route("b", "/b/**", "app"), route("a", "/a/**", "app"));
    ManagedEntities after = before.apply(4, List.of(route("b", "/bee/**", "app"), route("d", "/d/**", "app"),
        EntityChange.delete(EntityKind.ROUTES, "a"), EntityChange.delete(EntityKind.ROUTES, "absent")));
    assertThat(after.version()).isEqualTo(4);
    assertThat(after.of(EntityKind.ROUTES).keySet()).containsExactly("c", "b", "d");
    assertThat(after.get(EntityKind.ROUTES, "b").getString("path")).isEqualTo("/bee/**");
    assertThat(before.of(EntityKind.ROUTES).keySet()).containsExactly("c", "b", "a");
  }

  @Test
  void errorsNameTheEntityNotItsPosition() {
    ManagedEntities bad = entities(service("app"), route("ok", "/ok/**", "app"),
        route("orders", "orders", "aap"),
        EntityChange.put(EntityKind.LIMITS, "tight", new JsonObject().put("limits", new JsonArray()
            .add(new JsonObject().put("rate", "ten per second")))),
        EntityChange.put(EntityKind.API_KEYS, "k1", new JsonObject().put("consumer", "ghost")
            .put("hash", "sha256:" + "a".repeat(64))));
    assertThatThrownBy(() -> bad.compile(BOOTSTRAP, Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::path)
            .contains("routes[orders].path", "routes[orders].service", "apiKeys[k1].consumer")
            .anySatisfy(path -> assertThat(path).startsWith("limits[tight].limits[0]")));
  }

  @Test
  void referencesMustBeOnesTheBootstrapAllowsAndAreNeverResolvedOtherwise() throws ConfigException {
    String allowing = BOOTSTRAP + "  references: { env: [UPSTREAM], files: /run/secrets }\n";
    ManagedEntities refs = entities(EntityChange.put(EntityKind.SERVICES, "app", new JsonObject().put("targets",
        new JsonArray().add("${UPSTREAM}"))), EntityChange.put(EntityKind.ROUTES, "r", new JsonObject()
        .put("path", "/r/**").put("service", "${SECRET}").put("auth", "public").put("rewrite", new JsonObject()
            .put("setHeaders", new JsonObject().put("X-A", "${file:/etc/shadow}").put("X-B", "${file:/run/secrets/../x}")
                .put("X-C", "$${LITERAL}")))));
    Map<String, String> env = Map.of("UPSTREAM", "http://127.0.0.1:9001", "SECRET", "hunter2");
    assertThatThrownBy(() -> refs.compile(allowing, env))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.errors()).extracting(ConfigError::path).containsExactly("routes[r].service",
              "routes[r].rewrite.setHeaders.X-A", "routes[r].rewrite.setHeaders.X-B");
          assertThat(e.getMessage()).doesNotContain("hunter2");
        });
    assertThat(entities(EntityChange.put(EntityKind.SERVICES, "app", new JsonObject().put("targets",
        new JsonArray().add("${UPSTREAM}")))).compile(allowing, env).services().get("app").targets().get(0).host())
        .isEqualTo("127.0.0.1");
  }

  @Test
  void theBootstrapMayNotDeclareManagedSections() {
    String withRoutes = BOOTSTRAP + """
        services: { app: { targets: [ "http://127.0.0.1:1" ] } }
        """;
    assertThatThrownBy(() -> ManagedEntities.EMPTY.compile(withRoutes, Map.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).extracting(ConfigError::path)
            .contains("services"));
  }

  @Test
  void aKeyWithoutScopesGetsItsConsumersAndSecretsStayReferencesUntilCompiled() throws ConfigException {
    ManagedEntities withKey = entities(
        EntityChange.put(EntityKind.CONSUMERS, "shop", new JsonObject().put("scopes", new JsonArray().add("read"))),
        EntityChange.put(EntityKind.API_KEYS, "k1", new JsonObject().put("consumer", "shop")
            .put("hash", "sha256:" + "b".repeat(64))));
    JsonObject tree = withKey.toConfigTree();
    assertThat(tree.getJsonObject("auth").getJsonObject("apiKeys").getJsonArray("keys").getJsonObject(0)
        .getJsonArray("scopes")).containsExactly("read");
    GatewayConfig config = withKey.compile(BOOTSTRAP, Map.of());
    assertThat(config.auth().apiKeys().keys()).singleElement()
        .satisfies(key -> assertThat(key.scopes()).containsExactly("read"));
  }

  @Test
  void roundTripsThroughJson() {
    ManagedEntities original = entities(service("app"), route("z", "/z/**", "app"), route("a", "/a/**", "app"));
    ManagedEntities back = ManagedEntities.fromJson(new JsonObject(original.toJson().encode()));
    assertThat(back).isEqualTo(original);
    assertThat(back.of(EntityKind.ROUTES).keySet()).containsExactly("z", "a");
    assertThatThrownBy(() -> ManagedEntities.fromJson(new JsonObject().put("routes", new JsonObject())))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
