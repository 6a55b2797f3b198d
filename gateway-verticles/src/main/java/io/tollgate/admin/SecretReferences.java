package io.tollgate.admin;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Secrets in managed documents must be references, never values: a field whose name says it holds a secret
 * ({@code password}, {@code secret}, {@code token}, {@code pepper}, {@code credential}, {@code apiKey}), and a header
 * set on upstream requests that carries credentials ({@code Authorization}, {@code Proxy-Authorization},
 * {@code Cookie}, or a name with {@code token}/{@code secret}/{@code key}/{@code auth}), must be exactly one
 * {@code ${VAR}} or {@code ${file:/path}} reference, resolved on each node from its environment or file system. So nothing secret is stored in Postgres,
 * travels on the config topic, lands in the audit log or comes back from the Admin API; {@link #redact} is the
 * second line of defence for responses.
 */
final class SecretReferences {

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*|file:/[^}]+)\\}");
  private static final Pattern SECRET_FIELD = Pattern.compile(".*(password|secret|token|pepper|credential|apikey)$");
  private static final Pattern SECRET_HEADER =
      Pattern.compile("(authorization|proxy-authorization|cookie|.*(token|secret|key|auth).*)");

  private SecretReferences() {
  }

  /** Adds an error for every literal secret in {@code document} (path prefix {@code where}). */
  static void check(Object document, String where, JsonArray errors) {
    walk(document, where, false, (path, value) -> errors.add(new JsonObject().put("path", path)
        .put("message", "a secret must be a ${VAR} reference resolved from each node's environment, not a value")));
  }

  /** A copy with every literal secret replaced by {@code "***"}. */
  static JsonObject redact(JsonObject document) {
    JsonObject copy = document.copy();
    redactIn(copy, false);
    return copy;
  }

  private static void redactIn(Object node, boolean headers) {
    if (node instanceof JsonObject object) {
      for (String key : object.fieldNames().toArray(new String[0])) {
        Object value = object.getValue(key);
        if (value instanceof String text && isSecret(key, headers) && !REFERENCE.matcher(text).matches()) {
          object.put(key, "***");
        } else {
          redactIn(value, isHeaderMap(key));
        }
      }
    } else if (node instanceof JsonArray array) {
      array.forEach(item -> redactIn(item, false));
    }
  }

  private interface Found {
    void literal(String path, String value);
  }

  private static void walk(Object node, String path, boolean headers, Found found) {
    if (node instanceof JsonObject object) {
      for (String key : object.fieldNames()) {
        Object value = object.getValue(key);
        String child = path.isEmpty() ? key : path + "." + key;
        if (value instanceof String text && isSecret(key, headers) && !REFERENCE.matcher(text).matches()) {
          found.literal(child, text);
        } else {
          walk(value, child, isHeaderMap(key), found);
        }
      }
    } else if (node instanceof JsonArray array) {
      for (int i = 0; i < array.size(); i++) {
        walk(array.getValue(i), path + "[" + i + "]", false, found);
      }
    }
  }

  private static boolean isHeaderMap(String key) {
    return key.equals("setHeaders");
  }

  private static boolean isSecret(String key, boolean header) {
    String name = key.toLowerCase(Locale.ROOT);
    return header ? SECRET_HEADER.matcher(name).matches() : SECRET_FIELD.matcher(name).matches();
  }
}
