package io.tollgate.routing;

import io.tollgate.config.RouteConfig;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Input to {@link RouteTable#compile}: what a route matches, and the caller's payload that a match returns.
 *
 * @param id      route id, used in error messages
 * @param path    path pattern, see {@link PathPattern}
 * @param methods allowed methods (upper case); empty = any method. {@code HEAD} is implied by {@code GET}.
 * @param hosts   allowed hosts without port: exact names or {@code *.example.com} wildcards (one or more labels
 *                before the suffix); matched ignoring ASCII case; empty = any host
 * @param payload what {@link RouteMatch.Found#route()} returns, typically the compiled per-route state
 * @param <R>     payload type
 */
public record RouteSpec<R>(String id, String path, Set<String> methods, List<String> hosts, R payload) {

  public RouteSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(payload, "payload");
    methods = Set.copyOf(methods);
    hosts = List.copyOf(hosts);
  }

  /** A spec taking id, path, methods and hosts from {@code route}. */
  public static <R> RouteSpec<R> of(RouteConfig route, R payload) {
    return new RouteSpec<>(route.id(), route.path(), route.methods(), route.hosts(), payload);
  }
}
