package io.tollgate.admin;

import io.tollgate.auth.apikey.ApiKeyHasher;
import io.tollgate.store.EditException;
import io.tollgate.store.EntityChange;
import io.tollgate.store.EntityKind;
import io.tollgate.store.PgConfigStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * API keys of consumers: {@code POST /admin/consumers/{id}/keys} makes a key and answers it <b>once</b> (only its
 * hash is stored — {@code hmac-sha256} with the node's {@code auth.apiKeys.pepper} when set, else {@code sha256}; every
 * node must share the pepper); {@code GET} lists keys (id, prefix, scopes, creation time — never a hash);
 * {@code DELETE …/keys/{keyId}} revokes one. A consumer may hold several keys, so a key can be rotated without
 * downtime: issue the new one, switch the client, revoke the old one.
 */
final class ApiKeyIssuer {

  private static final SecureRandom RANDOM = new SecureRandom();
  /** How many characters of a key are kept to recognise it in lists. */
  private static final int PREFIX = 6;

  private final PgConfigStore store;
  private final Supplier<String> pepper;

  /** @param pepper the node's resolved {@code auth.apiKeys.pepper}, or null */
  ApiKeyIssuer(PgConfigStore store, Supplier<String> pepper) {
    this.store = store;
    this.pepper = pepper;
  }

  void issue(RoutingContext ctx, AdminApi api) {
    JsonObject body = api.body(ctx);
    if (body == null) {
      return;
    }
    String consumer = ctx.pathParam("id");
    Object scopes = body.getValue("scopes");
    if (scopes != null && !(scopes instanceof JsonArray)) {
      AdminApi.problem(ctx, AdminProblem.badRequest("'scopes' must be a list of strings"));
      return;
    }
    String key = ApiKeyHasher.generate();
    String keyId = "k" + HexFormat.of().formatHex(randomBytes(6));
    String secret = pepper.get();
    ApiKeyHasher hasher = secret == null ? ApiKeyHasher.sha256()
        : ApiKeyHasher.hmac(secret.getBytes(StandardCharsets.UTF_8));
    JsonObject doc = new JsonObject().put("consumer", consumer).put("hash", hasher.hash(key))
        .put("prefix", key.substring(0, PREFIX)).put("createdAt", Instant.now().toString());
    if (scopes != null) {
      doc.put("scopes", scopes);
    }
    api.write(ctx, "issue api key " + keyId + " for consumer " + consumer, current -> {
      if (current.get(EntityKind.CONSUMERS, consumer) == null) {
        throw new EditException(404, "no consumer '" + consumer + "'");
      }
      return List.of(EntityChange.put(EntityKind.API_KEYS, keyId, doc));
    }, written -> {
      JsonObject shown = AdminApi.present(EntityKind.API_KEYS, doc).put("id", keyId).put("key", key);
      ctx.response().putHeader("Location", "/admin/consumers/" + consumer + "/keys/" + keyId);
      AdminApi.json(ctx, 201, shown);
    });
  }

  void list(RoutingContext ctx, AdminApi api) {
    String consumer = ctx.pathParam("id");
    store.read().onComplete(ar -> {
      if (ar.failed()) {
        api.failed(ctx, ar.cause());
      } else if (ar.result().get(EntityKind.CONSUMERS, consumer) == null) {
        AdminApi.problem(ctx, AdminProblem.notFound("no consumer '" + consumer + "'"));
      } else {
        JsonObject keys = new JsonObject();
        ar.result().of(EntityKind.API_KEYS).forEach((id, doc) -> {
          if (consumer.equals(doc.getString("consumer"))) {
            keys.put(id, AdminApi.present(EntityKind.API_KEYS, doc));
          }
        });
        ctx.response().putHeader("ETag", AdminApi.etag(ar.result().version()));
        AdminApi.json(ctx, 200, new JsonObject().put("version", ar.result().version()).put("items", keys));
      }
    });
  }

  void revoke(RoutingContext ctx, AdminApi api) {
    String consumer = ctx.pathParam("id");
    String keyId = ctx.pathParam("keyId");
    api.write(ctx, "revoke api key " + keyId + " of consumer " + consumer, current -> {
      JsonObject key = current.get(EntityKind.API_KEYS, keyId);
      if (key == null || !consumer.equals(key.getString("consumer"))) {
        throw new EditException(404, "consumer '" + consumer + "' has no key '" + keyId + "'");
      }
      return List.of(EntityChange.delete(EntityKind.API_KEYS, keyId));
    }, written -> ctx.response().setStatusCode(204).end());
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }
}
