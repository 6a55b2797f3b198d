package io.tollgate.config;

import java.util.List;
import java.util.Map;

/**
 * How a route derives the upstream request ({@code routes[i].rewrite:} in YAML). All fields optional.
 *
 * <p>With neither {@code prefix} nor {@code path}, the normalised client path is forwarded unchanged.
 *
 * @param prefix        only for patterns ending in {@code /**}: replaces the literal part before {@code /**}.
 *                      {@code /api/service1/**} with {@code prefix: /api} sends {@code /api/service1/orders} to
 *                      {@code /api/orders}. Mutually exclusive with {@code path}.
 * @param path          a full path template: {@code {param}} inserts a path parameter (still percent-encoded),
 *                      {@code {**}} inserts the remainder matched by {@code /**}.
 * @param setQuery      query parameters forced on the upstream request, values may use {@code {param}};
 *                      any client-supplied parameter of the same name is dropped, never forwarded
 * @param removeQuery   query parameter names dropped from the client's query
 * @param setHeaders    request headers set on the upstream request (replacing the client's)
 * @param removeHeaders request headers removed before forwarding (case-insensitive)
 */
public record RewriteConfig(
    String prefix,
    String path,
    Map<String, String> setQuery,
    List<String> removeQuery,
    Map<String, String> setHeaders,
    List<String> removeHeaders) {

  public static final RewriteConfig NONE = new RewriteConfig(null, null, Map.of(), List.of(), Map.of(), List.of());

  public RewriteConfig {
    setQuery = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(setQuery));
    removeQuery = List.copyOf(removeQuery);
    setHeaders = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(setHeaders));
    removeHeaders = List.copyOf(removeHeaders);
  }
}
