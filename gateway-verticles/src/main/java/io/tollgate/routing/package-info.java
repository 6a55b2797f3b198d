/**
 * Request routing on the data path: from a raw request target to a route and the upstream path and query.
 *
 * <p>Per request, on the event loop:
 * <pre>{@code
 * String path = PathNormalizer.normalize(rawPath, listener.escapedSlashes()); // BadPathException -> 400
 * RouteMatch<CompiledRoute> m = table.match(method, hostWithoutPort, path);
 * if (m instanceof RouteMatch.Found<CompiledRoute> f) {
 *   String upstreamPath = f.route().upstreamPath().build(target.basePath(), path, f.params());
 *   String upstreamQuery = f.route().query().rewrite(rawQuery, f.params()); // null: no '?'
 * } else if (m instanceof RouteMatch.MethodNotAllowed<CompiledRoute> n) {
 *   // 405 with Allow: n.allowHeader()
 * } else {
 *   // 404
 * }
 * }</pre>
 *
 * <p>Per config snapshot, on the control thread: {@link io.tollgate.routing.RouteTable#compile},
 * {@link io.tollgate.routing.UpstreamPath#compile} and {@link io.tollgate.routing.QueryRewriter#compile} build
 * immutable objects that all event loops share without locks; bad patterns or templates fail with
 * {@link java.lang.IllegalArgumentException} naming the route. No class here uses a regex or a stream on the
 * request path.
 */
package io.tollgate.routing;
