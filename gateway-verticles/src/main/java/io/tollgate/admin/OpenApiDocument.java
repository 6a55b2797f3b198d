package io.tollgate.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Serves the Admin API's OpenAPI 3.1 document ({@code docs/admin-api.openapi.yaml}, copied into the jar by the
 * build, so the served document and the one in the repository are the same file).
 */
final class OpenApiDocument {

  static final String RESOURCE = "/admin-api.openapi.yaml";
  private static final Buffer DOCUMENT = load();

  private OpenApiDocument() {
  }

  static void serve(RoutingContext ctx) {
    ctx.response().putHeader("Content-Type", "application/yaml").end(DOCUMENT);
  }

  private static Buffer load() {
    try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the jar (docs/admin-api.openapi.yaml)");
      }
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
