package io.tollgate.admin;

import io.tollgate.admin.AdminAuth.Caller;
import io.tollgate.config.ConfigException;
import io.tollgate.config.ControlPlaneConfig;
import io.tollgate.events.Addresses;
import io.tollgate.problem.RequestIdHeader;
import io.tollgate.store.AuditChain;
import io.tollgate.store.EditException;
import io.tollgate.store.EntityChange;
import io.tollgate.store.EntityKind;
import io.tollgate.store.ManagedEntities;
import io.tollgate.store.PgConfigStore;
import io.tollgate.store.PgConfigStore.Edit;
import io.tollgate.store.PgConfigStore.Written;
import io.tollgate.store.VersionMismatchException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Admin API under {@code /admin} on the management listener (reference: {@code docs/admin-api.openapi.yaml},
 * also served at {@code /admin/openapi.yaml}).
 *
 * <p>Every request is authenticated ({@link AdminAuth}); writes need the {@code read-write} role. Every write goes
 * through {@link PgConfigStore#write}: the whole resulting config is validated on this node (the config sync
 * verticle compiles it with the bootstrap, off the event loop) before anything is committed, so an invalid change is
 * refused with 422 and every error. Reads answer with {@code ETag: "<version>"}; a write with
 * {@code If-Match: "<version>"} is refused with 412 when someone else wrote in between.
 */
final class AdminApi {

  private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
  /** Body limit for Admin API requests. */
  static final long MAX_BODY = 4L << 20;
  private static final long VALIDATE_TIMEOUT_MS = 30_000;
  private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final List<EntityKind> CRUD = List.of(EntityKind.SERVICES, EntityKind.ROUTES, EntityKind.LIMITS,
      EntityKind.CONSUMERS);

  private final Vertx vertx;
  private final PgConfigStore store;
  private final AdminAuth auth;
  private final ApiKeyIssuer keys;

  AdminApi(Vertx vertx, ControlPlaneConfig config, PgConfigStore store, ApiKeyIssuer keys,
      AdminAuth.TokenVerifier tokens) {
    this.vertx = vertx;
    this.store = store;
    this.auth = new AdminAuth(config.adminKeys(), config.adminJwt(), tokens);
    this.keys = keys;
  }

  Router router() {
    Router router = Router.router(vertx);
    router.route("/admin/*").handler(this::authenticate);
    router.get("/admin/openapi.yaml").handler(OpenApiDocument::serve);
    router.route("/admin/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY));
    router.get("/admin/config").handler(ctx -> store.read().onComplete(ar -> reply(ctx, ar.map(e -> wholeConfig(e)),
        ar.succeeded() ? ar.result().version() : -1)));
    router.post("/admin/config/validate").handler(this::validateOnly);
    router.put("/admin/config").handler(this::replaceConfig);
    router.get("/admin/audit").handler(this::audit);
    router.get("/admin/audit/verify").handler(ctx -> store.verifyAudit().onComplete(ar -> reply(ctx,
        ar.map(broken -> new JsonObject().put("intact", broken == null).put("problem", broken)), -1)));
    for (EntityKind kind : CRUD) {
      String base = "/admin/" + kind.wireName();
      router.get(base).handler(ctx -> store.read().onComplete(ar -> reply(ctx,
          ar.map(e -> new JsonObject().put("version", e.version()).put("items", items(e, kind))),
          ar.succeeded() ? ar.result().version() : -1)));
      router.get(base + "/:id").handler(ctx -> getOne(ctx, kind));
      router.post(base).handler(ctx -> create(ctx, kind));
      router.put(base + "/:id").handler(ctx -> put(ctx, kind, ctx.pathParam("id")));
      router.delete(base + "/:id").handler(ctx -> delete(ctx, kind));
    }
    router.post("/admin/consumers/:id/keys").handler(ctx -> keys.issue(ctx, this));
    router.get("/admin/consumers/:id/keys").handler(ctx -> keys.list(ctx, this));
    router.delete("/admin/consumers/:id/keys/:keyId").handler(ctx -> keys.revoke(ctx, this));
    router.errorHandler(400, ctx -> problem(ctx, AdminProblem.badRequest("malformed request")));
    router.errorHandler(404, ctx -> problem(ctx, AdminProblem.notFound("no Admin API resource at " + ctx.request().path())));
    router.errorHandler(405, ctx -> problem(ctx, AdminProblem.of(405, "method-not-allowed", "Method Not Allowed",
        ctx.request().method() + " is not allowed on " + ctx.request().path())));
    router.errorHandler(413, ctx -> problem(ctx, AdminProblem.of(413, "body-too-large", "Content Too Large",
        "Admin API bodies are limited to " + MAX_BODY + " bytes")));
    router.errorHandler(500, ctx -> {
      LOG.error("Admin API request {} failed", requestId(ctx), ctx.failure());
      problem(ctx, AdminProblem.of(500, "internal-error", "Internal Gateway Error", "the Admin API failed"));
    });
    return router;
  }

  // --- authentication -------------------------------------------------------------------------------------------

  private void authenticate(RoutingContext ctx) {
    ctx.put("requestId", RequestIdHeader.of(ctx.request()));
    ctx.response().putHeader(RequestIdHeader.NAME, requestId(ctx));
    Caller caller = auth.authenticate(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (caller == null) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"tollgate-admin\"");
      problem(ctx, AdminProblem.of(401, "unauthorized", "Unauthorized",
          "the Admin API needs Authorization: Bearer <admin key or token>"));
      return;
    }
    if (!caller.mayRead()) {
      problem(ctx, AdminProblem.of(403, "forbidden", "Forbidden", "'" + caller.name() + "' has no admin role"));
      return;
    }
    // Validation too needs read-write: it compiles documents with this node's environment.
    boolean write = !switch (ctx.request().method().name()) {
      case "GET", "HEAD", "OPTIONS" -> true;
      default -> false;
    };
    if (write && !caller.mayWrite()) {
      problem(ctx, AdminProblem.of(403, "forbidden", "Forbidden", "admin key '" + caller.name()
          + "' is read-only"));
      return;
    }
    ctx.put("caller", caller);
    ctx.next();
  }

  // --- reads ----------------------------------------------------------------------------------------------------

  /** The whole managed config: what {@code PUT /admin/config} takes (API keys listed without hashes). */
  static JsonObject wholeConfig(ManagedEntities entities) {
    JsonObject json = new JsonObject().put("version", entities.version());
    for (EntityKind kind : EntityKind.values()) {
      json.put(kind.wireName(), items(entities, kind));
    }
    return json;
  }

  private static JsonObject items(ManagedEntities entities, EntityKind kind) {
    JsonObject items = new JsonObject();
    entities.of(kind).forEach((id, doc) -> items.put(id, present(kind, doc)));
    return items;
  }

  /** What a response may show of a document. */
  static JsonObject present(EntityKind kind, JsonObject doc) {
    if (kind == EntityKind.API_KEYS) {
      JsonObject copy = doc.copy();
      copy.remove("hash");
      return copy;
    }
    return SecretReferences.redact(doc);
  }

  /** An audit entry as the API shows it: documents as {@link #present} shows them (no key hashes). */
  private static JsonObject presentAudit(JsonObject entry) {
    JsonArray changes = entry.getJsonArray("changes", new JsonArray());
    for (int i = 0; i < changes.size(); i++) {
      JsonObject change = changes.getJsonObject(i);
      EntityKind kind = EntityKind.of(change.getString("kind"));
      for (String side : List.of("before", "after")) {
        if (kind != null && change.getValue(side) instanceof JsonObject doc) {
          change.put(side, present(kind, doc));
        }
      }
    }
    return entry;
  }

  private void getOne(RoutingContext ctx, EntityKind kind) {
    String id = ctx.pathParam("id");
    store.read().onComplete(ar -> {
      if (ar.succeeded() && ar.result().get(kind, id) == null) {
        problem(ctx, AdminProblem.notFound("no " + kind.wireName() + " '" + id + "'"));
        return;
      }
      reply(ctx, ar.map(e -> present(kind, e.get(kind, id))), ar.succeeded() ? ar.result().version() : -1);
    });
  }

  private void audit(RoutingContext ctx) {
    long after = longParam(ctx, "after", 0);
    int limit = (int) Math.min(1000, Math.max(1, longParam(ctx, "limit", 100)));
    store.audit(after, limit).onComplete(ar -> reply(ctx, ar.map(rows -> {
      JsonArray entries = new JsonArray();
      for (AuditChain.Row row : rows) {
        entries.add(new JsonObject().put("seq", row.seq()).put("entry", presentAudit(new JsonObject(row.entry())))
            .put("prevHash", row.prevHash()).put("hash", row.hash()));
      }
      return new JsonObject().put("entries", entries)
          .put("next", rows.isEmpty() ? null : rows.get(rows.size() - 1).seq());
    }), -1));
  }

  // --- writes ---------------------------------------------------------------------------------------------------

  private void create(RoutingContext ctx, EntityKind kind) {
    JsonObject body = body(ctx);
    if (body == null) {
      return;
    }
    String idField = kind == EntityKind.ROUTES || kind == EntityKind.CONSUMERS ? "id" : "name";
    String id = body.getString(idField);
    if (id == null || id.isBlank()) {
      problem(ctx, AdminProblem.badRequest("the body needs '" + idField + "' (or use PUT /admin/" + kind.wireName()
          + "/{" + idField + "})"));
      return;
    }
    if (!validId(ctx, id)) {
      return;
    }
    JsonObject doc = body.copy();
    doc.remove(idField);
    write(ctx, "create " + kind.wireName() + " " + id, current -> {
      if (current.get(kind, id) != null) {
        throw new EditException(409, kind.wireName() + " '" + id + "' already exists (PUT replaces it)");
      }
      return List.of(EntityChange.put(kind, id, doc));
    }, written -> answer(ctx, written, kind, id, 201));
  }

  /** Ids name entities in paths, logs and metrics: the config's name rule, so nothing needs escaping. */
  private static boolean validId(RoutingContext ctx, String id) {
    if (id.length() <= 128 && ID.matcher(id).matches()) {
      return true;
    }
    problem(ctx, AdminProblem.badRequest("invalid id '" + id.replaceAll("[^\\x20-\\x7e]", "?") + "' (letters,"
        + " digits, '.', '_' and '-', starting with a letter or digit; at most 128)"));
    return false;
  }

  private void put(RoutingContext ctx, EntityKind kind, String id) {
    JsonObject body = body(ctx);
    if (body == null) {
      return;
    }
    String idField = kind == EntityKind.ROUTES || kind == EntityKind.CONSUMERS ? "id" : "name";
    Object inBody = body.remove(idField);
    if (inBody != null && !id.equals(inBody)) {
      problem(ctx, AdminProblem.badRequest("'" + idField + "' in the body (" + inBody + ") differs from the path ("
          + id + ")"));
      return;
    }
    if (!validId(ctx, id)) {
      return;
    }
    boolean[] created = new boolean[1];
    write(ctx, "put " + kind.wireName() + " " + id, current -> {
      created[0] = current.get(kind, id) == null;
      return List.of(EntityChange.put(kind, id, body));
    }, written -> answer(ctx, written, kind, id, created[0] ? 201 : 200));
  }

  private void delete(RoutingContext ctx, EntityKind kind) {
    String id = ctx.pathParam("id");
    write(ctx, "delete " + kind.wireName() + " " + id, current -> {
      if (current.get(kind, id) == null) {
        throw new EditException(404, "no " + kind.wireName() + " '" + id + "'");
      }
      List<EntityChange> changes = new ArrayList<>();
      if (kind == EntityKind.CONSUMERS) {
        // A consumer's keys go with it.
        current.of(EntityKind.API_KEYS).forEach((keyId, key) -> {
          if (id.equals(key.getString("consumer"))) {
            changes.add(EntityChange.delete(EntityKind.API_KEYS, keyId));
          }
        });
      }
      changes.add(EntityChange.delete(kind, id));
      return changes;
    }, written -> ctx.response().setStatusCode(204).end());
  }

  /** {@code PUT /admin/config}: the body's services, routes, limits and consumers replace all; keys stay. */
  private List<EntityChange> replaceAll(RoutingContext ctx, ManagedEntities current) {
    JsonObject body = ctx.get("body");
    List<EntityChange> changes = new ArrayList<>();
    for (EntityKind kind : CRUD) {
      // Every section must be there, even empty: a missing one is far more often a mistake than "delete all".
      if (!(body.getValue(kind.wireName()) instanceof JsonObject wanted)) {
        throw new EditException(400, "the body needs '" + kind.wireName() + "': an object of id → document ({}"
            + " for none); services, routes, limits and consumers are all required");
      }
      current.of(kind).keySet().stream().filter(id -> !wanted.containsKey(id))
          .forEach(id -> changes.add(EntityChange.delete(kind, id)));
      for (String id : wanted.fieldNames()) {
        if (!(wanted.getValue(id) instanceof JsonObject doc)) {
          throw new EditException(400, kind.wireName() + "." + id + " must be an object");
        }
        if (!doc.equals(current.get(kind, id))) {
          changes.add(EntityChange.put(kind, id, doc));
        }
      }
    }
    current.of(EntityKind.API_KEYS).forEach((keyId, key) -> {
      JsonObject consumers = body.getJsonObject(EntityKind.CONSUMERS.wireName(), new JsonObject());
      if (!consumers.containsKey(key.getString("consumer"))) {
        changes.add(EntityChange.delete(EntityKind.API_KEYS, keyId));
      }
    });
    return changes;
  }

  /** {@code PUT /admin/config} replaces everything, so it must say which version it replaces ({@code If-Match}). */
  private void replaceConfig(RoutingContext ctx) {
    if (ctx.request().getHeader(HttpHeaders.IF_MATCH) == null) {
      problem(ctx, AdminProblem.of(428, "precondition-required", "Precondition Required",
          "PUT /admin/config replaces the whole config: send If-Match with the ETag of GET /admin/config (or *)"));
      return;
    }
    if (body(ctx) != null) {
      write(ctx, "replace config", current -> replaceAll(ctx, current),
          written -> json(ctx, 200, wholeConfig(written.entities())));
    }
  }

  /** Runs an edit through the store; {@code onWritten} answers a success, failures are answered here. */
  void write(RoutingContext ctx, String action, Function<ManagedEntities, List<EntityChange>> edit,
      java.util.function.Consumer<Written> onWritten) {
    Long expected;
    try {
      expected = ifMatch(ctx.request().getHeader(HttpHeaders.IF_MATCH));
    } catch (IllegalArgumentException e) {
      problem(ctx, AdminProblem.badRequest(e.getMessage()));
      return;
    }
    Caller caller = ctx.get("caller");
    store.write(caller.name(), expected, current -> {
      List<EntityChange> changes = edit.apply(current);
      JsonArray errors = new JsonArray();
      changes.forEach(c -> SecretReferences.check(c.document(), c.kind().wireName() + "[" + c.id() + "]", errors));
      if (!errors.isEmpty()) {
        throw new SecretLiteralException(errors);
      }
      return new Edit(changes, action);
    }, this::validate).onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().putHeader(HttpHeaders.ETAG, etag(ar.result().version()));
        onWritten.accept(ar.result());
      } else {
        failed(ctx, ar.cause());
      }
    });
  }

  /**
   * The entity as stored, with 201 and {@code Location} when it was created. Other outcomes: 412 on a version
   * mismatch, 422 with every error, 404/409 from the edit, 503 when the store is unreachable ({@link #failed}).
   */
  private static void answer(RoutingContext ctx, Written written, EntityKind kind, String id, int status) {
    if (status == 201) {
      ctx.response().putHeader(HttpHeaders.LOCATION, "/admin/" + kind.wireName() + "/" + id);
    }
    json(ctx, status, present(kind, written.entities().get(kind, id)));
  }

  void failed(RoutingContext ctx, Throwable cause) {
    if (cause instanceof VersionMismatchException mismatch) {
      ctx.response().putHeader(HttpHeaders.ETAG, etag(mismatch.actual()));
      problem(ctx, AdminProblem.of(412, "version-mismatch", "Precondition Failed", cause.getMessage()
          + ": someone else changed the config; read it again and retry"));
    } else if (cause instanceof EditException edit) {
      problem(ctx, AdminProblem.of(edit.status(), edit.status() == 404 ? "not-found" : edit.status() == 409
          ? "conflict" : "bad-request", edit.status() == 404 ? "Not Found" : edit.status() == 409 ? "Conflict"
          : "Bad Request", edit.getMessage()));
    } else if (cause instanceof SecretLiteralException secret) {
      problem(ctx, AdminProblem.invalidConfig(secret.errors()));
    } else if (cause instanceof ConfigException invalid) {
      JsonArray errors = new JsonArray();
      invalid.errors().forEach(e -> errors.add(new JsonObject().put("path", e.path()).put("message", e.message())));
      problem(ctx, AdminProblem.invalidConfig(errors));
    } else {
      LOG.warn("Admin API write failed: {}", cause.toString());
      ctx.response().putHeader("Retry-After", "5");
      problem(ctx, AdminProblem.of(503, "config-store-unavailable", "Config Store Unavailable",
          "the config store could not be reached; nothing was written"));
    }
  }

  /** Validation on this node: the config sync verticle compiles the entities with the bootstrap. */
  private Future<List<io.tollgate.config.ConfigError>> validate(ManagedEntities proposed) {
    return vertx.eventBus().<JsonArray>request(Addresses.CONFIG_VALIDATE, proposed,
            new DeliveryOptions().setSendTimeout(VALIDATE_TIMEOUT_MS))
        .map(reply -> {
          List<io.tollgate.config.ConfigError> errors = new ArrayList<>();
          reply.body().forEach(e -> {
            JsonObject error = (JsonObject) e;
            errors.add(new io.tollgate.config.ConfigError(error.getString("path"), error.getString("message")));
          });
          return errors;
        });
  }

  /** {@code POST /admin/config/validate}: a whole config as {@code GET /admin/config} returns it; nothing written. */
  private void validateOnly(RoutingContext ctx) {
    JsonObject body = body(ctx);
    if (body == null) {
      return;
    }
    store.read().compose(current -> {
      ManagedEntities proposed = current.apply(current.version(), replaceAll(ctx, current));
      JsonArray errors = new JsonArray();
      for (EntityKind kind : CRUD) {
        proposed.of(kind).forEach((id, doc) -> SecretReferences.check(doc, kind.wireName() + "[" + id + "]", errors));
      }
      return validate(proposed).map(found -> {
        found.forEach(e -> errors.add(new JsonObject().put("path", e.path()).put("message", e.message())));
        return errors;
      });
    }).onComplete(ar -> {
      if (ar.failed()) {
        failed(ctx, ar.cause());
      } else if (ar.result().isEmpty()) {
        json(ctx, 200, new JsonObject().put("valid", true));
      } else {
        problem(ctx, AdminProblem.invalidConfig(ar.result()));
      }
    });
  }

  // --- plumbing -------------------------------------------------------------------------------------------------

  /** The JSON object body, or null after answering 400/415. */
  JsonObject body(RoutingContext ctx) {
    if (ctx.get("body") != null) {
      return ctx.get("body");
    }
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (ctx.body().length() > 0 && type != null && !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      problem(ctx, AdminProblem.of(415, "unsupported-media-type", "Unsupported Media Type",
          "Admin API bodies are application/json"));
      return null;
    }
    try {
      JsonObject body = ctx.body().length() == 0 ? new JsonObject() : ctx.body().asJsonObject();
      if (body == null) {
        throw new IllegalArgumentException();
      }
      ctx.put("body", body);
      return body;
    } catch (RuntimeException e) {
      problem(ctx, AdminProblem.badRequest("the body is not a JSON object"));
      return null;
    }
  }

  /** {@code "42"} → 42; {@code *} or absent → null (no precondition). */
  static Long ifMatch(String header) {
    if (header == null || header.trim().equals("*")) {
      return null;
    }
    String tag = header.trim();
    if (tag.startsWith("W/")) {
      tag = tag.substring(2);
    }
    if (tag.length() >= 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
      tag = tag.substring(1, tag.length() - 1);
    }
    try {
      return Long.parseLong(tag);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("If-Match must be the ETag of a read, e.g. \"42\"");
    }
  }

  static String etag(long version) {
    return "\"" + version + "\"";
  }

  private void reply(RoutingContext ctx, io.vertx.core.AsyncResult<JsonObject> result, long version) {
    if (result.failed()) {
      failed(ctx, result.cause());
      return;
    }
    if (version >= 0) {
      ctx.response().putHeader(HttpHeaders.ETAG, etag(version));
    }
    json(ctx, 200, result.result());
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .end(body.toBuffer());
  }

  static void problem(RoutingContext ctx, AdminProblem problem) {
    problem.send(ctx.response(), requestId(ctx));
  }

  private static String requestId(RoutingContext ctx) {
    String id = ctx.get("requestId");
    return id != null ? id : RequestIdHeader.of(ctx.request());
  }

  private static long longParam(RoutingContext ctx, String name, long fallback) {
    String value = ctx.request().getParam(name);
    try {
      return value == null ? fallback : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  /** A write that would store a literal secret. */
  static final class SecretLiteralException extends RuntimeException {

    private final transient JsonArray errors;

    SecretLiteralException(JsonArray errors) {
      super("literal secrets", null, false, false);
      this.errors = errors;
    }

    JsonArray errors() {
      return errors;
    }
  }
}
